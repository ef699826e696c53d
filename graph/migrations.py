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


def _curation(_dimension: int) -> list[str]:
    """Issue 11: listing status, audit log, 名录 editions; existing providers join the pool as LISTED."""
    return [
        "CREATE INDEX provider_listing_status IF NOT EXISTS FOR (p:Provider) ON (p.listing_status)",
        "CREATE CONSTRAINT audit_event_id IF NOT EXISTS FOR (e:AuditEvent) REQUIRE e.id IS UNIQUE",
        "CREATE INDEX audit_event_at IF NOT EXISTS FOR (e:AuditEvent) ON (e.at)",
        "CREATE INDEX audit_event_target IF NOT EXISTS FOR (e:AuditEvent) ON (e.target)",
        "CREATE CONSTRAINT edition_number IF NOT EXISTS FOR (e:Edition) REQUIRE e.number IS UNIQUE",
        "CREATE CONSTRAINT sequence_name IF NOT EXISTS FOR (s:Sequence) REQUIRE s.name IS UNIQUE",
        "CREATE CONSTRAINT unverified_term_key IF NOT EXISTS FOR (t:UnverifiedTerm) REQUIRE t.key IS UNIQUE",
        "CREATE INDEX unverified_term_status IF NOT EXISTS FOR (t:UnverifiedTerm) ON (t.status)",
        # data written before listing existed was public: it stays so (a no-op once every provider has a status)
        "MATCH (p:Provider) WHERE p.listing_status IS NULL "
        "CALL (p) { SET p.listing_status = 'LISTED' } IN TRANSACTIONS OF 10000 ROWS",
    ]


def _deals(_dimension: int) -> list[str]:
    """Issue 12: responses, deal transitions and ratings; earlier decisions become history.

    The backfills are idempotent (they only touch nodes without the new data): an offer's
    ``external_booked_volume`` is what it had booked beyond its matches' bookings; an ACCEPTED
    match gets ``accepted_at`` from ``decided_at``, and every decided match without a transition gets
    the one it went through (PROPOSED → its status, by the enterprise, at ``decided_at``).
    """
    return [
        "CREATE CONSTRAINT response_id IF NOT EXISTS FOR (r:Response) REQUIRE r.id IS UNIQUE",
        "CREATE INDEX match_transition_at IF NOT EXISTS FOR (t:MatchTransition) ON (t.at)",
        "CREATE INDEX match_transition_to IF NOT EXISTS FOR (t:MatchTransition) ON (t.to)",
        "CREATE INDEX rating_by_role IF NOT EXISTS FOR (r:Rating) ON (r.by_role)",
        # what an offer had booked beyond its accepted matches was booked outside gongxu
        "MATCH (o:CapacityOffer) WHERE o.external_booked_volume IS NULL "
        "SET o.external_booked_volume = coalesce(o.booked_volume, 0) - "
        "COLLECT { MATCH (m:Match)-[:USES_OFFER]->(o) RETURN sum(coalesce(m.booked_volume, 0)) }[0]",
        "MATCH (m:Match {status: 'ACCEPTED'}) WHERE m.accepted_at IS NULL AND m.decided_at IS NOT NULL "
        "SET m.accepted_at = m.decided_at",
        "MATCH (m:Match) WHERE m.status IN ['ACCEPTED', 'REJECTED'] AND m.decided_at IS NOT NULL "
        "AND NOT EXISTS { (m)-[:HAD_TRANSITION]->(:MatchTransition) } "
        "CREATE (m)-[:HAD_TRANSITION]->(:MatchTransition {from: 'PROPOSED', to: m.status, at: m.decided_at, "
        "by_role: 'ENTERPRISE', actor: m.decided_by, note: m.reason})",
    ]


def _credit_code_claims(_dimension: int) -> list[str]:
    """Registration's uniqueness guard (graph/repositories/credit_codes.py): one claim node per
    party and credit code, MERGEd in the registration's transaction."""
    return ["CREATE CONSTRAINT credit_code_key IF NOT EXISTS FOR (c:CreditCode) REQUIRE c.key IS UNIQUE"]


def _provider_index(_dimension: int) -> list[str]:
    """Issue 14: the in-process provider index syncs the providers stamped since its last look."""
    return ["CREATE INDEX provider_matching_changed_at IF NOT EXISTS FOR (p:Provider) ON (p.matching_changed_at)"]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "uniqueness constraints", _constraints),
    Migration(2, "full-text indexes (cjk)", _fulltext),
    Migration(3, "vector indexes", _vectors),
    Migration(4, "lookup indexes", _lookups),
    Migration(5, "matching state and freshness indexes", _matching_state),
    Migration(6, "curation: listing status, audit log, editions", _curation),
    Migration(7, "deals: responses, transitions, ratings", _deals),
    Migration(8, "credit-code claims (unique registration)", _credit_code_claims),
    Migration(9, "provider index: matching_changed_at", _provider_index),
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
