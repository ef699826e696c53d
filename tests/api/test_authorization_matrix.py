"""The authorization matrix (issue 10), generated from the live schema.

``test_every_field_is_declared`` introspects ``api.schema.schema``: every Query and Mutation field
and every field of every object and interface type must be declared in
``tests/api/authorization_rules.py`` — a field added later fails here, with the line to add. The other
tests run each declared rule over HTTP (the real ``gql`` client against the live app) for every role
× ownership and compare the outcome with the rule (which restates docs/API.md and docs/MATCHING.md).
"""

from __future__ import annotations

import base64
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from apiclient import REGISTER_ENTERPRISE, Api, credit_code
from authorization_rules import MUTATION, PRIVATE, QUERY, ROLES, TYPES, Check
from graphql import GraphQLInterfaceType, GraphQLObjectType

from api.schema import schema
from graph.repositories import tokens
from matching.embedding_cache import EmbeddingCache
from matching.taxonomy import forget_taxonomy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "matching"))  # the engine tests' world builder

from matching_world import OFFERS, World, capacity_need, service_need

RULES_FILE = "tests/api/authorization_rules.py"
ROOTS = ("Query", "Mutation")


# ------------------------------------------------------------------------------- completeness


def _schema_fields() -> dict[str, set[str]]:
    types = schema._schema.type_map
    return {name: set(t.fields) for name, t in types.items()
            if not name.startswith("__") and isinstance(t, GraphQLObjectType | GraphQLInterfaceType)}


def test_every_field_is_declared():
    fields = _schema_fields()
    missing: list[str] = []
    for name in sorted(set(fields["Query"]) - set(QUERY)):
        missing.append(f'QUERY["{name}"] = [Check("{{ {name} … }}", roles(…), secret)]  # who may ask, per role')
    for name in sorted(set(fields["Mutation"]) - set(MUTATION)):
        missing.append(f'MUTATION["{name}"] = Check("mutation {{ {name}(input: …) {{ errors {{ code }} }} }}", '
                       "OWN_ENTERPRISE_OBJECT | OWN_PROVIDER_OBJECT | ENTERPRISE_ONLY | PROVIDER_ONLY | roles(…))")
    for type_name, names in sorted(fields.items()):
        if type_name in ROOTS:
            continue
        declared = TYPES[type_name].set if type_name in TYPES else set()
        private = {key.split(".", 1)[1] for key in PRIVATE if key.split(".", 1)[0] == type_name}
        for name in sorted(names - declared - private):
            missing.append(f'add "{name}" to TYPES["{type_name}"] (public(...) or guarded(..., by=<QUERY key>)), '
                           f'or PRIVATE["{type_name}.{name}"] = Private(Check(...)) if it carries private data')
    stale = sorted({*(set(QUERY) - set(fields["Query"])), *(set(MUTATION) - set(fields["Mutation"]))})
    for type_name, declared_fields in TYPES.items():
        stale += [f"TYPES[{type_name!r}].{n}" for n in sorted(declared_fields.set - fields.get(type_name, set()))]
        if declared_fields.guarded_by is not None and declared_fields.guarded_by not in QUERY:
            stale.append(f"TYPES[{type_name!r}] guarded by unknown QUERY rule {declared_fields.guarded_by!r}")
    stale += [key for key in PRIVATE if key.split(".", 1)[1] not in fields.get(key.split(".", 1)[0], set())]
    overlap = [f"{t}.{n}" for t, f in TYPES.items() for n in f.set if f"{t}.{n}" in PRIVATE]
    assert not missing, (f"fields of the schema without an authorization rule; declare them in {RULES_FILE} "
                         "(docs/API.md states the role rules):\n  " + "\n  ".join(missing))
    assert not stale, f"rules in {RULES_FILE} for fields the schema no longer has: {stale}"
    assert not overlap, f"declared both public/guarded and private: {overlap}"


def test_every_role_has_an_outcome():
    checks = [c for cs in QUERY.values() for c in cs] + list(MUTATION.values())
    checks += [p.check for p in PRIVATE.values() if p.check]
    assert all(set(c.expect) == set(ROLES) for c in checks)
    assert all(c.secret for c in checks if {"SEES", "BLIND"} & set(c.expect.values()))


# ------------------------------------------------------------------------------------ the world


def gid(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


CONTACTS = {
    "prv_cd_die": {"contact_name": "张厂长", "contact_phone": "028-66668888", "contact_email": "sales@jingzhu.example"},
    "prv_cd_sec": {"contact_name": "赵经理", "contact_phone": "028-55553333", "contact_email": "bd@yunan.example"},
}
ENTERPRISE_PRIVATE = {"creditCode": "91510100MA6CUQ1X2Y", "contactName": "王工", "contactPhone": "13800000000",
                      "contactEmail": "wang@example.com"}
LISTING_REASONS = {"prv_cd_die": "矩阵上架理由-压铸", "prv_cd_sec": "矩阵上架理由-测评"}
CERT_VERDICT = {"evidence": "IATF证书号矩阵-0412345", "by": "STAFF:matrix-verifier"}
ACTORS = {"enterprise_owner": ("ENTERPRISE", "ent_car"), "enterprise_other": ("ENTERPRISE", "ent_other"),
          "provider_owner": ("PROVIDER", "prv_cd_die"), "provider_other": ("PROVIDER", "prv_cd_sec"),
          "staff": ("STAFF", "matrix-ops")}
RESPONSE_MESSAGE = "矩阵报价-可按期交付"
RESPOND = ('mutation { respondToNeed(input: {needId: "%s", interest: INTERESTED, price: 148000, leadTimeDays: 20, '
           'message: "%s"}) { errors { code message } } }')
MATCHES = '{ matches(needId: "%s", first: 50) { edges { node { id provider { id } } } } }'


@pytest.fixture(scope="module")
def embedding_cache(embedder) -> EmbeddingCache:
    return EmbeddingCache(embedder)


@pytest.fixture
async def matrix(reference_data, clean_db, embedding_cache, live_server) -> dict[str, Any]:
    """The world, the tokens of every role and the placeholders of the rules."""
    forget_taxonomy()
    world = await World(clean_db, embedding_cache).build()
    for provider_id, contacts in CONTACTS.items():
        await world.provider(provider_id, **contacts)
    await clean_db.write("MATCH (e:Enterprise {id: 'ent_car'}) SET e.credit_code = $code",
                         code=ENTERPRISE_PRIVATE["creditCode"])
    for provider_id, reason in LISTING_REASONS.items():
        await clean_db.write("MATCH (p:Provider {id: $id}) "
                             "CREATE (p)-[:LISTING_HISTORY]->(:ListingEvent {at: datetime(), from_status: 'APPLIED', "
                             "to_status: 'LISTED', decision: 'LIST', reason: $reason, "
                             "actor: 'STAFF:matrix-ops'})", id=provider_id, reason=reason)
    await clean_db.write("MATCH (p:Provider {id: 'prv_cd_die'})-[h:HOLDS]->(:Certification) "
                         "SET h.verification = 'VERIFIED', h.verification_evidence = $evidence, h.verified_by = $by, "
                         "h.verified_at = datetime()", **CERT_VERDICT)
    await world.need(capacity_need())
    await world.need(service_need("ned_close"))
    await world.write_offers([{**OFFERS["prv_cd_die"], "id": "off_cd_die_old", "status": "WITHDRAWN"}])
    services = live_server.server.config.app.state.gongxu["services"]
    services.forget_linker()
    secrets: dict[str, str | None] = {"anonymous": None}
    for role, (token_role, org) in ACTORS.items():
        issued = tokens.issue()
        await tokens.create_standalone(clean_db, issued.id, issued.hash, token_role, org)
        secrets[role] = issued.secret
    api = Api(live_server.url)
    # the need's enterprise computes (and stores) the matches; providers never trigger that
    found = await api.ok(MATCHES % gid("Need", "ned_die"), token=secrets["enterprise_owner"])
    by_provider = {base64.b64decode(e["node"]["provider"]["id"]).decode().split(":", 1)[1]: e["node"]["id"]
                   for e in found["matches"]["edges"]}
    assert {"prv_cd_die", "prv_cd_die2"} <= set(by_provider), by_provider
    # the matched provider answers the need (a quote the matrix's `responses` checks look for)
    answered = await api.ok(RESPOND % (gid("Need", "ned_die"), RESPONSE_MESSAGE), token=secrets["provider_owner"])
    assert answered["respondToNeed"]["errors"] == [], answered
    places = {
        "provider": gid("Manufacturer", "prv_cd_die"), "service_provider": gid("ServiceProvider", "prv_cd_sec"),
        "statement": gid("CapabilityStatement", "cst_cd_die"), "offer": gid("CapacityOffer", "off_cd_die"),
        "withdrawn_offer": gid("CapacityOffer", "off_cd_die_old"), "enterprise": gid("Enterprise", "ent_car"),
        "need": gid("Need", "ned_die"), "need_to_close": gid("Need", "ned_close"),
        "missing_need": gid("Need", "ned_does_not_exist"),
        "match": by_provider["prv_cd_die"], "match2": by_provider["prv_cd_die2"],
        **{f"provider_{camel(k)}": v for k, v in CONTACTS["prv_cd_die"].items()},
        **{f"service_{camel(k)}": v for k, v in CONTACTS["prv_cd_sec"].items()},
        **{f"enterprise_{k}": v for k, v in ENTERPRISE_PRIVATE.items()},
        "provider_listing_reason": LISTING_REASONS["prv_cd_die"],
        "service_listing_reason": LISTING_REASONS["prv_cd_sec"],
        "response_message": RESPONSE_MESSAGE,
        "cert_evidence": CERT_VERDICT["evidence"], "cert_verified_by": CERT_VERDICT["by"],
    }
    yield {"api": api, "tokens": secrets, "places": places, "db": clean_db}
    await api.close()


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


_numbers = itertools.count(1)


def fill(text: str, places: dict[str, str]) -> str:
    n = str(next(_numbers))
    for key, value in {**places, "n": n}.items():
        text = text.replace("{" + key + "}", value)
    return text.replace("{credit_code}", credit_code()) if "{credit_code}" in text else text


async def outcome(api: Api, check: Check, token: str | None, places: dict[str, str],
                  mutation: str | None = None) -> tuple[str, str]:
    """(outcome, response text) of one check for one token."""
    reply = await api.run(fill(check.document, places), token=token)
    text = json.dumps({"data": reply.data, "errors": reply.errors}, ensure_ascii=False)
    if reply.errors:
        return reply.errors[0].get("extensions", {}).get("code") or "ERROR", text
    if mutation is not None:
        errors = (reply.data or {}).get(mutation, {}).get("errors") or []
        return (errors[0]["code"] if errors else "OK"), text
    secret = fill(check.secret, places) if check.secret else None
    wanted = set(check.expect.values())
    if secret is not None and {"SEES", "BLIND"} & wanted:
        return ("SEES" if secret in text else "BLIND"), text
    return "OK", text


async def _run(matrix: dict[str, Any], checks: list[tuple[str, Check, str | None]]) -> list[str]:
    wrong = []
    for label, check, mutation in checks:
        for role in ROLES:
            got, text = await outcome(matrix["api"], check, matrix["tokens"][role], matrix["places"], mutation)
            if got != check.expect[role]:
                wrong.append(f"{label} as {role}: expected {check.expect[role]}, got {got}: {text[:300]}")
    return wrong


async def test_query_fields_follow_the_rules(matrix):
    checks = [(f"Query.{name}#{i}", check, None) for name, cs in QUERY.items() for i, check in enumerate(cs)]
    wrong = await _run(matrix, checks)
    assert not wrong, "\n".join(wrong)


async def test_private_fields_follow_the_rules(matrix):
    checks = [(key, p.check, None) for key, p in PRIVATE.items() if p.check is not None]
    wrong = await _run(matrix, checks)
    assert not wrong, "\n".join(wrong)


async def test_mutations_follow_the_rules(matrix):
    wrong = await _run(matrix, [(f"Mutation.{name}", check, name) for name, check in MUTATION.items()])
    assert not wrong, "\n".join(wrong)


async def test_a_registration_token_is_shown_once(matrix):
    """PRIVATE["Register…Payload.token"]: the plaintext token once; a replay (same id and input) gets null,
    whoever sends it."""
    assert {key for key, p in PRIVATE.items() if p.once} == {"RegisterEnterprisePayload.token",
                                                            "RegisterProviderPayload.token"}
    api: Api = matrix["api"]
    values = {"name": "矩阵重放企业", "creditCode": credit_code(), "clientMutationId": "matrix-replay-1"}
    first = (await api.ok(REGISTER_ENTERPRISE, {"input": values}))["registerEnterprise"]
    assert first["token"] and first["token"].startswith("gx_")
    again = (await api.ok(REGISTER_ENTERPRISE, {"input": values}))["registerEnterprise"]
    assert again["token"] is None and again["enterprise"]["id"] == first["enterprise"]["id"]
    provider = ("mutation($input: RegisterProviderInput!) { registerProvider(input: $input) { token "
                "provider { id } errors { code } } }")
    pvalues = {"kind": "MANUFACTURER", "name": "矩阵重放工厂", "creditCode": credit_code(),
               "clientMutationId": "matrix-replay-2"}
    first = (await api.ok(provider, {"input": pvalues}))["registerProvider"]
    again = (await api.ok(provider, {"input": pvalues}))["registerProvider"]
    assert first["token"] and again["token"] is None and again["provider"] == first["provider"]
