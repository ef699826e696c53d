"""Consistency under concurrency (issue 10), over HTTP: what two requests racing each other may not do.

* partial ``updateCapacityOffer`` calls, each valid alone, must not together store a reversed window:
  the merged state is re-validated inside the write transaction, under the offer's write lock;
* two registrations with one credit code: exactly one succeeds, the other is DUPLICATE — the
  check-then-create is guarded by a ``(:CreditCode {key})`` claim under a unique constraint.

Several rounds per test, because one race may happen to run in sequence; on the old code at least
one round interleaved in every run we tried.
"""

from __future__ import annotations

import asyncio

from apiclient import ERRORS, REGISTER_ENTERPRISE, REGISTER_PROVIDER, Api, credit_code

PUBLISH = f"""
mutation($input: PublishCapacityOfferInput!) {{
  publishCapacityOffer(input: $input) {{ capacityOffer {{ id }} {ERRORS} }} }}"""
UPDATE = f"""
mutation($input: UpdateCapacityOfferInput!) {{
  updateCapacityOffer(input: $input) {{ capacityOffer {{ id availableFrom availableTo }} {ERRORS} }} }}"""
OFFER = {"processText": "铝合金压铸", "monthlyVolume": 20000, "unit": "PIECE",
         "availableFrom": "2099-01-01", "availableTo": "2099-06-30"}
ROUNDS = 6


async def test_concurrent_partial_offer_updates_never_store_a_reversed_window(api, db, live_server):
    _, token, _ = await api.register_provider()
    offer_ids = [(await api.ok(PUBLISH, {"input": OFFER}, token=token))["publishCapacityOffer"]["capacityOffer"]["id"]
                 for _ in range(ROUNDS)]
    clients = [Api(live_server.url) for _ in range(2 * ROUNDS)]
    try:
        later_start = [clients[2 * i].run(UPDATE, {"input": {"id": oid, "availableFrom": "2099-05-01"}}, token=token)
                       for i, oid in enumerate(offer_ids)]
        earlier_end = [clients[2 * i + 1].run(UPDATE, {"input": {"id": oid, "availableTo": "2099-03-01"}},
                                              token=token) for i, oid in enumerate(offer_ids)]
        replies = await asyncio.gather(*(x for pair in zip(later_start, earlier_end, strict=True) for x in pair))
    finally:
        await asyncio.gather(*(c.close() for c in clients))
    for i, offer_id in enumerate(offer_ids):
        pair = [replies[2 * i].data["updateCapacityOffer"], replies[2 * i + 1].data["updateCapacityOffer"]]
        codes = sorted(e["code"] for payload in pair for e in payload["errors"])
        assert codes == ["WINDOW_REVERSED"], (offer_id, pair)  # one went through, the other saw it
        refused = next(payload for payload in pair if payload["errors"])
        assert refused["capacityOffer"] is None
    rows = await db.read("MATCH (o:CapacityOffer) WHERE o.id IN $ids "
                         "RETURN o.id AS id, o.available_from AS start, o.available_to AS end", ids=_keys(offer_ids))
    assert len(rows) == ROUNDS
    reversed_ = [row["id"] for row in rows if row["start"] > row["end"]]
    assert reversed_ == [], f"stored reversed windows: {reversed_}"


def _keys(global_ids: list[str]) -> list[str]:
    import base64

    return [base64.b64decode(g).decode().split(":", 1)[1] for g in global_ids]


async def _register_concurrently(url: str, document: str, field: str, inputs: list[dict]) -> list[dict]:
    clients = [Api(url) for _ in inputs]
    try:
        replies = await asyncio.gather(*(c.run(document, {"input": value}) for c, value in zip(clients, inputs,
                                                                                              strict=True)))
    finally:
        await asyncio.gather(*(c.close() for c in clients))
    return [reply.data[field] for reply in replies]


async def test_concurrent_registrations_with_one_credit_code_register_once(api, db, live_server):
    codes = [credit_code() for _ in range(ROUNDS)]
    for code in codes:
        enterprises = await _register_concurrently(
            live_server.url, REGISTER_ENTERPRISE, "registerEnterprise",
            [{"name": f"并发企业{i}", "creditCode": code} for i in range(2)])
        providers = await _register_concurrently(
            live_server.url, REGISTER_PROVIDER, "registerProvider",
            [{"kind": "SERVICE_PROVIDER", "name": f"并发服务商{i}", "creditCode": code} for i in range(2)])
        for payloads, what in ((enterprises, "enterprise"), (providers, "provider")):
            done = [p for p in payloads if not p["errors"]]
            refused = [p for p in payloads if p["errors"]]
            assert len(done) == 1 and len(refused) == 1, (what, code, payloads)
            assert [(e["code"], e["field"]) for e in refused[0]["errors"]] == [("DUPLICATE", "creditCode")]
            assert refused[0][what] is None and refused[0]["token"] is None
    counts = await db.read("UNWIND $codes AS code RETURN code, "
                           "COUNT { MATCH (e:Enterprise {credit_code: code}) } AS e, "
                           "COUNT { MATCH (p:Provider {credit_code: code}) } AS p, "
                           "COUNT { MATCH (t:ApiToken) } AS tokens", codes=codes)
    assert {(row["e"], row["p"]) for row in counts} == {(1, 1)}  # an enterprise and a provider may share one
    assert counts[0]["tokens"] == 2 * ROUNDS  # a refused registration left no token behind
