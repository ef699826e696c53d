"""The ``gongxu`` command line.

Every user-fixable failure (no Java, port taken, unreachable NEO4J_URI, a bad seed file …) ends
with one line ``gongxu: error: …`` naming the fix and exit status 1, never a stack trace.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import click

from api.web.report_command import report
from graph import server
from graph.config import Neo4jSettings

USER_ERRORS: tuple[type[Exception], ...] = (server.Neo4jSetupError,)


def _user_errors() -> tuple[type[Exception], ...]:
    """Exception types whose message is meant for the user (imported lazily: some load torch)."""
    from graph.migrations import MigrationError
    from matching.embedding import EmbeddingModelError

    found: list[type[Exception]] = [*USER_ERRORS, MigrationError, EmbeddingModelError]
    try:
        from seed.reference import SeedFileError

        found.append(SeedFileError)
    except ImportError:  # pragma: no cover - seed data not installed
        pass
    return tuple(found)


def friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn user-fixable errors into one clear line and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except _user_errors() as exc:
            click.echo(f"gongxu: error: {' '.join(str(exc).split())}", err=True)  # always one line
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("gongxu: interrupted", err=True)
            sys.exit(130)

    return wrapper


@click.group()
def main() -> None:
    """gongxu (供需): supply-chain matchmaking for the industrial internet."""


main.add_command(report)  # gongxu report (api/web/report_command.py)


# ------------------------------------------------------------------------------------------- neo4j


@main.group()
def neo4j() -> None:
    """The local Neo4j server (used when NEO4J_URI is not set and no Docker engine answers)."""


@neo4j.command("install")
@friendly
def neo4j_install() -> None:
    """Fetch Neo4j's jars from Maven Central into .cache/neo4j (once)."""
    home = server.install(quiet=False)
    click.echo(f"Neo4j {server.NEO4J_VERSION} installed in {home}")


@neo4j.command("start")
@click.option("--instance", default=None, help="Data folder name under .cache/neo4j/instances (default: dev).")
@friendly
def neo4j_start(instance: str | None) -> None:
    """Start Neo4j (or reuse the running one) and wait until it answers."""
    settings = Neo4jSettings.from_env(instance)
    connection = server.ensure_neo4j(settings)
    click.echo(f"Neo4j ready at {connection.uri} (source: {connection.source})")


@neo4j.command("stop")
@click.option("--instance", default=None)
@friendly
def neo4j_stop(instance: str | None) -> None:
    """Stop the local Neo4j cleanly; no process is left behind."""
    settings = Neo4jSettings.from_env(instance)
    stopped = server.stop_local(settings.instance)
    click.echo("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j.command("status")
@click.option("--instance", default=None)
@friendly
def neo4j_status(instance: str | None) -> None:
    """Say whether the local Neo4j runs, with its pid and address."""
    settings = Neo4jSettings.from_env(instance)
    state = server.status(settings.instance)
    if state:
        click.echo(f"running: pid {state['pid']} at {state['uri']} (instance {settings.instance})")
    else:
        click.echo(f"not running (instance {settings.instance})")
        sys.exit(3)


# ------------------------------------------------------------------------------------ model/schema


@main.group()
def model() -> None:
    """The embedding model."""


@model.command("info")
@friendly
def model_info() -> None:
    """Load the model (materialising it offline if needed) and print its name, dimension, load time."""
    from matching.embedding import get_embedder

    embedder = get_embedder()
    click.echo(json.dumps({"model": embedder.name, "location": embedder.location,
                           "dimension": embedder.dimension, "load_seconds": round(embedder.load_seconds, 2)}))


async def _with_services(work: Callable[[Any], Any]) -> Any:
    from api.services import Services

    services = await Services.start()
    try:
        return await work(services)
    finally:
        await services.close()


@main.command()
@friendly
def migrate() -> None:
    """Apply the schema migrations (idempotent; also done at every start)."""
    from graph.migrations import LATEST_VERSION

    asyncio.run(_with_services(lambda _s: asyncio.sleep(0)))
    click.echo(f"schema at version {LATEST_VERSION}")


@main.command()
@click.option("--yes", is_flag=True, help="Confirm: every node and relationship is deleted.")
@friendly
def reset(yes: bool) -> None:
    """Delete all data (schema stays)."""
    if not yes:
        raise click.UsageError("reset deletes all data: pass --yes")
    from graph.repositories import admin

    asyncio.run(_with_services(lambda s: admin.delete_all_data(s.db)))
    click.echo("all data deleted")


@main.command()
@friendly
def stats() -> None:
    """Print what the graph holds."""
    from graph.repositories import statistics

    counts = asyncio.run(_with_services(lambda s: statistics.counts(s.db)))
    click.echo(json.dumps(counts, indent=2))


# -------------------------------------------------------------------------------------------- seed


@main.group()
def seed() -> None:
    """Reference data, sample data and scale data."""


@seed.command("load")
@click.option("--reference-only", is_flag=True, help="Only the taxonomy and other reference data.")
@click.option("--sample-dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="A folder of sample JSON Lines files (default: seed/data/sample).")
@friendly
def seed_load(reference_only: bool, sample_dir: str | None) -> None:
    """Load the reference data, the sample data and the sample deals (idempotent: loading twice changes nothing)."""
    from pathlib import Path

    from seed import loader
    from seed.deals import load_deals

    async def work(services: Any) -> dict[str, int]:
        counts = await loader.load_reference_data(services.db, services.embedder)
        if not reference_only:
            directory = Path(sample_dir) if sample_dir else loader.default_sample_dir()
            counts |= await loader.load_sample(services.db, services.embedder, directory)
            counts |= await load_deals(services.db, services.embedder, directory)  # after the sample
        return counts

    counts = asyncio.run(_with_services(work))
    click.echo("loaded: " + ", ".join(f"{label} {n}" for label, n in counts.items()))


@seed.command("generate")
@click.option("--providers", type=click.IntRange(1, 10_000_000), required=True)
@click.option("--batch", type=click.IntRange(100, 50_000), default=5_000, show_default=True)
@click.option("--seed", "rng_seed", type=int, default=20261123, show_default=True)
@click.option("--embeddings", type=click.Choice(["model", "derived"]), default="derived", show_default=True,
              help="model: encode every text (≈80 texts/s on 2 cores); derived: reuse the sample's vectors per "
                   "capability with deterministic jitter — for index and scale benchmarks only.")
@friendly
def seed_generate(providers: int, batch: int, rng_seed: int, embeddings: str) -> None:
    """Stream N generated providers (same shape as the sample) to Neo4j in batches."""
    from tqdm import tqdm

    from seed import scale

    async def work(services: Any) -> Any:
        with tqdm(total=providers, desc="generating providers", unit="provider") as bar:
            return await scale.generate(services.db, services.embedder, providers, batch=batch, seed=rng_seed,
                                        embeddings=embeddings, progress=bar.update)

    report = asyncio.run(_with_services(work))
    click.echo(f"generated {report.providers} providers")


# -------------------------------------------------------------------------------------------- eval


@main.command("eval")
@click.option("--need", "need_ids", multiple=True, help="Only these evaluation needs (eval_001 …; repeatable).")
@click.option("--set", "sets", multiple=True, type=click.Choice(["dev", "hard"]),
              help="Only this set (dev: seed/data/eval, hard: seed/data/eval_hard; repeatable; default both).")
@click.option("--no-service", is_flag=True, help="Baselines only (do not serve the app).")
@click.option("--no-write", is_flag=True, help="Print the table but leave BENCHMARKS.md alone.")
@click.option("--details", type=click.Path(dir_okay=False), default=None,
              help="Also write every top-10 slot (system, need, rank, provider, grade, broken constraints) as JSONL.")
@friendly
def evaluate(need_ids: tuple[str, ...], sets: tuple[str, ...], no_service: bool, no_write: bool,
             details: str | None) -> None:
    """Matching quality on both development sets (seed/data/eval and the hand-written seed/data/eval_hard):
    the service through its GraphQL API, and the BM25 and embedding baselines, on the loaded sample data
    (plus the hard set's own providers, registered for its run); the table goes to BENCHMARKS.md."""
    from pathlib import Path

    from api.live import LiveServer
    from seed.evaluation import run

    async def work(services: Any) -> str:
        _, table = await run.evaluate(services, server_factory=None if no_service else LiveServer,
                                      need_ids=need_ids or None,
                                      benchmarks=None if no_write else run.BENCHMARKS,
                                      details=Path(details) if details else None,
                                      sets=sets or ("dev", "hard"))
        return table

    try:
        table = asyncio.run(_with_services(work))
    except run.EvalError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(table)
    if not no_write:
        click.echo(f"written to {run.BENCHMARKS}", err=True)


# ------------------------------------------------------------------------------------------- serve


@main.command()
@click.option("--host", default=None, help="Default: GONGXU_HOST or 127.0.0.1.")
@click.option("--port", default=None, type=int, help="Default: GONGXU_PORT or 8000.")
@friendly
def serve(host: str | None, port: int | None) -> None:
    """Serve GraphQL at http://HOST:PORT/graphql (GraphiQL outside production)."""
    import uvicorn

    from api.app import create_app
    from api.config import ApiSettings

    settings = ApiSettings.from_env()
    started = time.perf_counter()
    click.echo(f"gongxu: starting on http://{host or settings.host}:{port or settings.port}/graphql", err=True)
    uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port,
                log_level="info", lifespan="on")
    click.echo(f"gongxu: stopped after {time.perf_counter() - started:.0f}s", err=True)


# ------------------------------------------------------------------------------------- token/schema


async def _with_db(work: Callable[[Any], Any]) -> Any:
    """Just the database (no model, no migrations): for commands that only read or write a few nodes."""
    from graph.db import Database

    connection = await asyncio.to_thread(server.ensure_neo4j, Neo4jSettings.from_env())
    db = Database.connect(connection.uri, connection.user, connection.password, connection.database)
    try:
        return await work(db)
    finally:
        await db.close()


@main.group()
def token() -> None:
    """API tokens (hashed at rest; the plaintext is printed once)."""


@token.command("create")
@click.option("--org", "org_id", required=True,
              help="The organisation: an enterprise or provider id (ent_…, prv_… or its GraphQL global ID); "
                   "for STAFF any label, e.g. ops.")
@click.option("--role", type=click.Choice(["ENTERPRISE", "PROVIDER", "STAFF"]), required=True)
@click.option("--region", default=None, help="STAFF only: limit the token's reports to this region (name or code).")
@friendly
def token_create(org_id: str, role: str, region: str | None) -> None:
    """Issue a token and print it once (stdout: the token only; it cannot be shown again)."""
    from strawberry.relay import GlobalID

    from graph.repositories import tokens

    if role != "STAFF" and not org_id.startswith(("ent_", "prv_")):
        with contextlib.suppress(Exception):  # whatever does not decode is reported below as unknown
            org_id = GlobalID.from_id(org_id).node_id

    if region and role != "STAFF":
        raise click.UsageError("--region applies to STAFF tokens only")

    async def work(db: Any) -> tokens.IssuedToken | None:
        if not await tokens.organisation_exists(db, role, org_id):
            return None
        region_code = None
        if region:
            from matching.reports import ReportFilterError, resolve_regions

            try:
                region_code = (await resolve_regions(db, [region]))[0][0]
            except ReportFilterError as exc:
                raise click.UsageError(str(exc)) from exc
        issued = tokens.issue()
        await tokens.create_standalone(db, issued.id, issued.hash, role, org_id, region_code)
        return issued

    issued = asyncio.run(_with_db(work))
    if issued is None:
        kind = "enterprise" if role == "ENTERPRISE" else "provider"
        click.echo(f"gongxu: error: no {kind} {org_id}: register it first (registerEnterprise / registerProvider)",
                   err=True)
        sys.exit(1)
    click.echo(f"gongxu: token {issued.id} for {role} {org_id}; store it now, it is not shown again", err=True)
    click.echo(issued.secret)


@token.command("revoke")
@click.argument("token_id")
@friendly
def token_revoke(token_id: str) -> None:
    """Revoke a token by its id (tok_…); requests with it are then refused with 401."""
    from graph.repositories import tokens

    if not asyncio.run(_with_db(lambda db: tokens.revoke(db, token_id))):
        click.echo(f"gongxu: error: no token {token_id}", err=True)
        sys.exit(1)
    click.echo(f"revoked {token_id}")


@main.group()
def schema() -> None:
    """The GraphQL schema (SDL)."""


@schema.command("export")
@click.option("--output", type=click.Path(dir_okay=False), default=None, help="Default: schema.graphql at the root.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the file differs from the code.")
def schema_export(output: str | None, check: bool) -> None:
    """Write the SDL to schema.graphql (committed; a test fails when it drifts from the code)."""
    from pathlib import Path

    from api.schema import SDL_PATH, export_sdl, sdl

    path = Path(output) if output else SDL_PATH
    if check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != sdl():
            click.echo(f"gongxu: error: {path} is out of date: run `gongxu schema export`", err=True)
            sys.exit(1)
        click.echo(f"{path} is up to date")
        return
    changed = export_sdl(path)
    click.echo(f"{'wrote' if changed else 'unchanged:'} {path}")


if __name__ == "__main__":
    main()
