"""Versioned, idempotent schema migrations, applied at start (``gongxu migrate``).

Each migration is a list of DDL statements with ``IF NOT EXISTS``, so re-running one is harmless;
applied versions are recorded as ``(:SchemaMigration {version})`` nodes. Vector indexes are sized
from the embedding model's dimension; a later start with a model of another dimension fails with a
clear message instead of silently mixing vector spaces.

Community edition has uniqueness constraints only: required properties are enforced in code
(``graph/repositories``), not by existence constraints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graph.db import Database

# Labels whose nodes are identified by `id` (organisations and their data) or `code` (reference data).
ID_LABELS = ("Enterprise", "Provider", "CapabilityStatement", "CapacityOffer", "Need", "Match", "ApiToken")
CODE_LABELS = ("Capability", "Material", "Certification", "Industry", "Region", "SharingMode")

FULLTEXT_INDEXES = {
    # name: (label, properties)
    "provider_text": ("Provider", ("name", "description")),
    "capability_statement_text": ("CapabilityStatement", ("text",)),
    "capacity_offer_text": ("CapacityOffer", ("process_text", "description")),
    "need_text": ("Need", ("title", "description")),
    "capability_names": ("Capability", ("name_zh", "name_en", "alias_text")),
}

VECTOR_INDEXES = {
    # name: label (property `embedding`)
    "capability_statement_embedding": "CapabilityStatement",
    "capacity_offer_embedding": "CapacityOffer",
    "capability_embedding": "Capability",
    "need_embedding": "Need",
}


class MigrationError(RuntimeError):
    """The database's schema cannot be brought to this code's version; the message names the fix."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: Callable[[int], list[str]]  # given the embedding dimension


def _constraints(_dimension: int) -> list[str]:
    statements = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in ID_LABELS
    ]
    statements += [
        f"CREATE CONSTRAINT {label.lower()}_code IF NOT EXISTS FOR (n:{label}) REQUIRE n.code IS UNIQUE"
        for label in CODE_LABELS
    ]
    statements += [
        "CREATE CONSTRAINT apitoken_hash IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.token_hash IS UNIQUE",
        "CREATE CONSTRAINT schema_migration_version IF NOT EXISTS FOR (m:SchemaMigration) "
        "REQUIRE m.version IS UNIQUE",
        "CREATE CONSTRAINT client_mutation_key IF NOT EXISTS FOR (c:ClientMutation) REQUIRE c.key IS UNIQUE",
    ]
    return statements


def _fulltext(_dimension: int) -> list[str]:
    return [
        f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR (n:{label}) ON EACH "
        f"[{', '.join('n.' + p for p in props)}] OPTIONS {{indexConfig: {{`fulltext.analyzer`: 'cjk'}}}}"
        for name, (label, props) in FULLTEXT_INDEXES.items()
    ]


def _vectors(dimension: int) -> list[str]:
    return [
        f"CREATE VECTOR INDEX {name} IF NOT EXISTS FOR (n:{label}) ON n.embedding OPTIONS {{indexConfig: "
        f"{{`vector.dimensions`: {int(dimension)}, `vector.similarity_function`: 'cosine'}}}}"
        for name, label in VECTOR_INDEXES.items()
    ]


def _lookups(_dimension: int) -> list[str]:
    return [
        "CREATE INDEX need_status IF NOT EXISTS FOR (n:Need) ON (n.status)",
        "CREATE INDEX offer_status IF NOT EXISTS FOR (o:CapacityOffer) ON (o.status)",
        "CREATE INDEX provider_kind IF NOT EXISTS FOR (p:Provider) ON (p.kind)",
        "CREATE INDEX provider_name IF NOT EXISTS FOR (p:Provider) ON (p.name)",
        "CREATE INDEX match_status IF NOT EXISTS FOR (m:Match) ON (m.status)",
    ]


def _matching_state(_dimension: int) -> list[str]:
    return [
        "CREATE CONSTRAINT matching_state_key IF NOT EXISTS FOR (s:MatchingState) REQUIRE s.key IS UNIQUE",
        # the freshness signature reads the newest updated_at; range indexes keep that cheap at 10^5 providers
        "CREATE INDEX offer_updated_at IF NOT EXISTS FOR (o:CapacityOffer) ON (o.updated_at)",
        "CREATE INDEX provider_updated_at IF NOT EXISTS FOR (p:Provider) ON (p.updated_at)",
    ]


def _credit_code_claims(_dimension: int) -> list[str]:
    """Registration's uniqueness guard (graph/repositories/credit_codes.py): one claim node per
    party and credit code, MERGEd in the registration's transaction."""
    return ["CREATE CONSTRAINT credit_code_key IF NOT EXISTS FOR (c:CreditCode) REQUIRE c.key IS UNIQUE"]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "uniqueness constraints", _constraints),
    Migration(2, "full-text indexes (cjk)", _fulltext),
    Migration(3, "vector indexes", _vectors),
    Migration(4, "lookup indexes", _lookups),
    Migration(5, "matching state and freshness indexes", _matching_state),
    Migration(6, "credit-code claims (unique registration)", _credit_code_claims),
)
LATEST_VERSION = MIGRATIONS[-1].version


async def applied_versions(db: Database) -> set[int]:
    rows = await db.read("MATCH (m:SchemaMigration) RETURN m.version AS version")
    return {row["version"] for row in rows}


async def vector_dimension(db: Database) -> int | None:
    rows = await db.read(
        "SHOW VECTOR INDEXES YIELD name, options WHERE name IN $names "
        "RETURN options.indexConfig.`vector.dimensions` AS dimension LIMIT 1",
        names=list(VECTOR_INDEXES))
    return int(rows[0]["dimension"]) if rows and rows[0]["dimension"] is not None else None


async def migrate(db: Database, dimension: int) -> list[int]:
    """Apply what is missing; returns the versions applied now. Safe to call at every start."""
    existing = await vector_dimension(db)
    if existing is not None and existing != dimension:
        raise MigrationError(
            f"the vector indexes hold {existing}-dimensional vectors but the embedding model gives {dimension}: "
            "use the model the data was embedded with (GONGXU_EMBEDDING_MODEL), or reset the database "
            "(`gongxu reset --yes`) and load it again")
    done = await applied_versions(db)
    applied = []
    for migration in MIGRATIONS:
        for statement in migration.statements(dimension):
            await db.schema(statement)  # IF NOT EXISTS: harmless when already there
        if migration.version not in done:
            await db.write("MERGE (m:SchemaMigration {version: $version}) "
                           "ON CREATE SET m.name = $name, m.applied_at = datetime()",
                           version=migration.version, name=migration.name)
            applied.append(migration.version)
    await db.schema("CALL db.awaitIndexes(300)")
    return applied


async def is_current(db: Database) -> bool:
    return LATEST_VERSION in await applied_versions(db)
