"""The committed SDL matches the code; the token and schema commands work."""

from __future__ import annotations

import asyncio

from apiclient import Api
from click.testing import CliRunner, Result

from api.cli import main
from api.schema import SDL_PATH, sdl


def test_committed_schema_matches_the_code():
    assert SDL_PATH.exists(), "schema.graphql is missing: run `gongxu schema export`"
    assert SDL_PATH.read_text(encoding="utf-8") == sdl(), "schema.graphql drifted: run `gongxu schema export`"


def _gongxu(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_schema_export_check_and_write(tmp_path):
    assert _gongxu("schema", "export", "--check").exit_code == 0
    target = tmp_path / "schema.graphql"
    target.write_text("type Query { old: Int }\n", encoding="utf-8")
    stale = _gongxu("schema", "export", "--check", "--output", str(target))
    assert stale.exit_code == 1 and "out of date" in stale.stderr
    assert _gongxu("schema", "export", "--output", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == sdl()


async def _cli(*args: str) -> Result:
    # the commands run their own event loop (asyncio.run), so not on this test's loop
    return await asyncio.to_thread(_gongxu, *args)


async def test_token_create_prints_a_working_token_once(api: Api, neo4j_env):
    provider_id, _, _ = await api.register_provider()
    created = await _cli("token", "create", "--org", provider_id, "--role", "PROVIDER")
    assert created.exit_code == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("gx_") and "\n" not in secret and "not shown again" in created.stderr
    viewer = await api.ok("{ viewer { role provider { id } } }", token=secret)
    assert viewer["viewer"] == {"role": "PROVIDER", "provider": {"id": provider_id}}

    staff = await _cli("token", "create", "--org", "ops", "--role", "STAFF")
    assert (await api.ok("{ viewer { role } }", token=staff.stdout.strip()))["viewer"]["role"] == "STAFF"

    missing = await _cli("token", "create", "--org", "ent_nobody", "--role", "ENTERPRISE")
    assert missing.exit_code == 1 and missing.stderr.startswith("gongxu: error: no enterprise ent_nobody")
    wrong_role = await _cli("token", "create", "--org", "x", "--role", "ADMIN")
    assert wrong_role.exit_code == 2


async def test_token_revoke(api: Api, db, neo4j_env):
    from graph.repositories import tokens

    _, token, _ = await api.register_enterprise()
    row = await tokens.find_active(db, tokens.hash_secret(token))
    assert (await _cli("token", "revoke", row["id"])).exit_code == 0
    assert await tokens.find_active(db, tokens.hash_secret(token)) is None
    assert (await _cli("token", "revoke", "tok_nothing")).exit_code == 1
