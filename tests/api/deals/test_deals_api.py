"""A deal over HTTP with the real GraphQL client: postNeed → matches → respondToNeed → acceptMatch →
advanceMatch … → rateMatch; each side's steps and refusals (a refused step changes nothing), who sees
which responses and contacts, and capacity released on cancel, closeNeed and withdrawCapacityOffer."""

from __future__ import annotations

import base64
from datetime import timedelta

from apiclient import ERRORS

from matching.freshness import today

OFFER = {"processText": "铝合金压铸", "description": "800吨压铸岛两台，夜班空闲", "monthlyVolume": 6000,
         "unit": "PIECE", "availableFrom": today().isoformat(),
         "availableTo": (today() + timedelta(days=179)).isoformat(), "leadTimeDays": 10, "moq": 100,
         "material": "ADC12"}
NEED = {"kind": "CAPACITY", "title": "铝合金压铸壳体", "description": "新能源汽车电控壳体，铝合金压铸 ADC12",
        "quantity": 3000, "unit": "PIECE", "deadline": (today() + timedelta(days=99)).isoformat(),
        "regions": ["成都市"], "material": "ADC12"}

PUBLISH = f"""mutation($input: PublishCapacityOfferInput!) {{
  publishCapacityOffer(input: $input) {{ capacityOffer {{ id }} {ERRORS} }} }}"""
UPDATE_OFFER = f"""mutation($input: UpdateCapacityOfferInput!) {{
  updateCapacityOffer(input: $input) {{ capacityOffer {{ id monthlyVolume }} {ERRORS} }} }}"""
WITHDRAW = f"""mutation($input: WithdrawCapacityOfferInput!) {{
  withdrawCapacityOffer(input: $input) {{ capacityOffer {{ id status bookedVolume }} {ERRORS} }} }}"""
POST = f"""mutation($input: PostNeedInput!) {{ postNeed(input: $input) {{ need {{ id }} {ERRORS} }} }}"""
UPDATE_NEED = f"""mutation($input: UpdateNeedInput!) {{
  updateNeed(input: $input) {{ need {{ id quantity }} {ERRORS} }} }}"""
CLOSE = f"""mutation($input: CloseNeedInput!) {{ closeNeed(input: $input) {{ need {{ id status }} {ERRORS} }} }}"""
DEAL = """id status bookedVolume provider { id }
          offer { id bookedVolume }
          response { interest price currency leadTimeDays message revision }
          history { from to by note at }
          cancellation { by note }
          ratings { by quality delivery communication clarity payment comment }"""
MATCHES = f"""query($needId: ID!) {{ matches(needId: $needId, first: 50) {{ edges {{ node {{ {DEAL} }} }} }} }}"""
OPPORTUNITIES = """query($providerId: ID!) { opportunities(providerId: $providerId) {
  edges { node { matchId matchStatus need { id } enterprise { name contactPhone } } } } }"""
RESPOND = """mutation($input: RespondToNeedInput!) { respondToNeed(input: $input) {
  response { id interest price currency revision needId needTitle matchStatus provider { id } offer { id } }
  errors { code field message } } }"""
RESPONSES = """query($needId: ID, $orderBy: ResponseOrder) { responses(needId: $needId, orderBy: $orderBy) {
  interest price provider { id } needId } }"""
RECORD = """query($id: ID!) { node(id: $id) { ... on Provider {
  rating ratingSummary { mean count prior } fulfilment { status score deals parts { name value } summary } } } }"""
ACCEPT = """mutation($id: ID!) { acceptMatch(input: {matchId: $id}) { match { id status } errors { code } } }"""
ADVANCE = f"""mutation($input: AdvanceMatchInput!) {{ advanceMatch(input: $input) {{
  match {{ {DEAL} }} errors {{ code field message }} }} }}"""
RATE = f"""mutation($input: RateMatchInput!) {{ rateMatch(input: $input) {{
  match {{ {DEAL} }} errors {{ code field message }} }} }}"""


def key(global_id: str) -> str:
    """The stored id behind a Relay global ID (opportunities and responses name needs by stored id)."""
    return base64.b64decode(global_id).decode().split(":", 1)[1]


async def market(api, providers: int = 2) -> dict:
    """An enterprise and manufacturers in 成都, each with one published die-casting offer."""
    enterprise_id, enterprise, _ = await api.register_enterprise(contactPhone="13800000001")
    world = {"enterprise": enterprise, "enterprise_id": enterprise_id, "providers": []}
    for _ in range(providers):
        provider_id, token, _ = await api.register_provider(
            capabilities=[{"text": "铝合金压铸，汽车零部件压铸件"}])
        offer = (await api.ok(PUBLISH, {"input": OFFER}, token=token))["publishCapacityOffer"]["capacityOffer"]
        world["providers"].append({"id": provider_id, "token": token, "offer": offer["id"]})
    return world


async def post_need(api, world: dict, **changes) -> str:
    data = await api.ok(POST, {"input": {**NEED, **changes}}, token=world["enterprise"])
    return data["postNeed"]["need"]["id"]


async def deals(api, world: dict, need_id: str) -> dict[str, dict]:
    """The need's matches by provider id, as the enterprise sees them."""
    data = await api.ok(MATCHES, {"needId": need_id}, token=world["enterprise"])
    return {edge["node"]["provider"]["id"]: edge["node"] for edge in data["matches"]["edges"]}


async def advance(api, token: str, match_id: str, to: str, note: str | None = None) -> dict:
    return (await api.run(ADVANCE, {"input": {"matchId": match_id, "to": to, "note": note}}, token=token)
            ).data["advanceMatch"]


async def test_one_deal_from_need_to_ratings(api, staff_token):
    world = await market(api)
    a, b = world["providers"]
    need_id = await post_need(api, world)
    proposed = await deals(api, world, need_id)
    assert set(proposed) == {a["id"], b["id"]} and proposed[a["id"]]["status"] == "PROPOSED"
    match_id = proposed[a["id"]]["id"]

    # the provider sees the opportunity without the enterprise's contact details, and answers it
    seen = (await api.ok(OPPORTUNITIES, {"providerId": a["id"]}, token=a["token"]))["opportunities"]["edges"]
    assert seen[0]["node"]["need"]["id"] == key(need_id) and seen[0]["node"]["enterprise"]["contactPhone"] is None
    quote = {"needId": need_id, "interest": "INTERESTED", "price": 150000, "leadTimeDays": 20,
             "message": "可按期交付", "offerId": a["offer"]}
    answered = (await api.ok(RESPOND, {"input": quote}, token=a["token"]))["respondToNeed"]["response"]
    assert answered["revision"] == 1 and answered["currency"] == "CNY" and answered["offer"]["id"] == a["offer"]
    assert answered["matchStatus"] == "PROPOSED" and answered["needTitle"] == NEED["title"]
    cheaper = {**quote, "price": 140000}
    assert (await api.ok(RESPOND, {"input": cheaper}, token=a["token"]))["respondToNeed"]["response"]["revision"] == 2
    await api.ok(RESPOND, {"input": {"needId": need_id, "interest": "DECLINED", "message": "产能已满"}},
                 token=b["token"])

    # the enterprise compares them; each provider sees only its own
    by_price = (await api.ok(RESPONSES, {"needId": need_id, "orderBy": "PRICE"}, token=world["enterprise"]))
    assert [(r["interest"], r["price"]) for r in by_price["responses"]] == [("INTERESTED", 140000),
                                                                            ("DECLINED", None)]
    own = (await api.ok(RESPONSES, {}, token=b["token"]))["responses"]
    assert [(r["interest"], r["provider"]["id"]) for r in own] == [("DECLINED", b["id"])]
    assert (await deals(api, world, need_id))[a["id"]]["response"]["price"] == 140000
    refused = (await api.run(RESPONSES, {}, token=world["enterprise"]))
    assert refused.code() == "FORBIDDEN"

    # acceptance books the quantity and reveals the contact details to that provider only
    assert (await api.ok(ACCEPT, {"id": match_id}, token=world["enterprise"]))["acceptMatch"]["match"]["status"] \
        == "ACCEPTED"
    seen = (await api.ok(OPPORTUNITIES, {"providerId": a["id"]}, token=a["token"]))["opportunities"]["edges"]
    assert seen[0]["node"]["enterprise"]["contactPhone"] == "13800000001"
    late = (await api.run(RESPOND, {"input": quote}, token=a["token"])).data["respondToNeed"]
    assert late["errors"][0]["code"] == "INVALID_STATE"

    # each side confirms its own steps; a refused step changes nothing
    refusals = [(a["token"], "CONTRACTED", "FORBIDDEN"), (world["enterprise"], "DELIVERED", "FORBIDDEN"),
                (world["enterprise"], "COMPLETED", "INVALID_STATE"), (b["token"], "CANCELLED", "NOT_FOUND"),
                (None, "CONTRACTED", "UNAUTHENTICATED")]
    for token, to, code in refusals:
        payload = await advance(api, token, match_id, to, note="x")
        assert payload["match"] is None and payload["errors"][0]["code"] == code, (to, payload)
    assert (await deals(api, world, need_id))[a["id"]]["status"] == "ACCEPTED"
    for token, to in [(world["enterprise"], "CONTRACTED"), (a["token"], "DELIVERED"),
                      (world["enterprise"], "COMPLETED")]:
        payload = await advance(api, token, match_id, to, note=f"{to} 确认")
        assert payload["errors"] == [] and payload["match"]["status"] == to
    deal = payload["match"]
    assert [(h["from"], h["to"], h["by"]) for h in deal["history"]] == [
        ("PROPOSED", "ACCEPTED", "ENTERPRISE"), ("ACCEPTED", "CONTRACTED", "ENTERPRISE"),
        ("CONTRACTED", "DELIVERED", "PROVIDER"), ("DELIVERED", "COMPLETED", "ENTERPRISE")]
    assert deal["offer"]["bookedVolume"] == 3000  # delivered capacity stays used

    # both sides rate, once
    stars = {"matchId": match_id, "quality": 5, "delivery": 4, "communication": 5, "comment": "质量稳定"}
    bad = (await api.run(RATE, {"input": {**stars, "quality": 9}}, token=world["enterprise"])).data["rateMatch"]
    assert bad["errors"][0] == {"code": "INVALID", "field": "quality", "message": bad["errors"][0]["message"]}
    rated = (await api.ok(RATE, {"input": stars}, token=world["enterprise"]))["rateMatch"]["match"]
    assert rated["ratings"][0]["by"] == "ENTERPRISE" and rated["ratings"][0]["quality"] == 5
    await api.ok(RATE, {"input": {"matchId": match_id, "clarity": 4, "payment": 5}}, token=a["token"])
    again = (await api.run(RATE, {"input": stars}, token=world["enterprise"])).data["rateMatch"]
    assert again["errors"][0]["code"] == "INVALID_STATE"
    final = (await deals(api, world, need_id))[a["id"]]
    assert sorted(r["by"] for r in final["ratings"]) == ["ENTERPRISE", "PROVIDER"]

    # the provider's record: its deal ratings beside the prior rating, and a fulfilment score with parts
    record = (await api.ok(RECORD, {"id": a["id"]}, token=world["enterprise"]))["node"]
    assert record["ratingSummary"] == {"mean": 14 / 3, "count": 1, "prior": None}
    assert record["fulfilment"]["status"] == "SCORED" and record["fulfilment"]["deals"] == 1
    assert {p["name"]: p["value"] for p in record["fulfilment"]["parts"]}["on_time"] == 1.0
    other = (await api.ok(RECORD, {"id": b["id"]}, token=world["enterprise"]))["node"]["fulfilment"]
    assert other["status"] == "NEW" and other["score"] is None and "new to the pool" in other["summary"]


async def test_capacity_is_released_on_cancel_close_and_withdraw(api):
    world = await market(api, providers=1)
    (a,) = world["providers"]
    needs = [await post_need(api, world, quantity=q, title=f"铝合金压铸壳体 批次{i}")
             for i, q in enumerate((1000, 1500, 2000))]
    match_ids = []
    for need_id in needs:
        match = (await deals(api, world, need_id))[a["id"]]
        await api.ok(ACCEPT, {"id": match["id"]}, token=world["enterprise"])
        match_ids.append(match["id"])

    async def booked() -> float:
        return (await deals(api, world, needs[2]))[a["id"]]["offer"]["bookedVolume"]

    assert await booked() == 4500

    # a booked need's quantity and deadline cannot change; the offer cannot be cut below its bookings
    payload = (await api.run(UPDATE_NEED, {"input": {"id": needs[0], "quantity": 9000}},
                             token=world["enterprise"])).data["updateNeed"]
    assert payload["errors"][0]["code"] == "CAPACITY_BOOKED" and payload["need"] is None
    payload = (await api.run(UPDATE_OFFER, {"input": {"id": a["offer"], "monthlyVolume": 500}},
                             token=a["token"])).data["updateCapacityOffer"]
    assert payload["errors"][0]["code"] == "CAPACITY_BOOKED"
    assert (await api.ok(UPDATE_OFFER, {"input": {"id": a["offer"], "monthlyVolume": 5000}}, token=a["token"]))
    assert await booked() == 4500

    # cancel: the cancelling side and its reason are kept, the volume comes back
    payload = await advance(api, a["token"], match_ids[0], "CANCELLED", note="设备检修")
    assert payload["match"]["cancellation"] == {"by": "PROVIDER", "note": "设备检修"}
    assert payload["match"]["bookedVolume"] == 0 and await booked() == 3500

    # closing a need cancels its deal under way and releases it
    await api.ok(CLOSE, {"input": {"id": needs[1]}}, token=world["enterprise"])
    assert await booked() == 2000

    # withdrawing the offer cancels the rest
    withdrawn = (await api.ok(WITHDRAW, {"input": {"id": a["offer"]}}, token=a["token"]))["withdrawCapacityOffer"]
    assert withdrawn["capacityOffer"]["bookedVolume"] == 0
    last = (await deals(api, world, needs[2]))[a["id"]]
    assert last["status"] == "CANCELLED" and last["cancellation"] == {"by": "PROVIDER", "note": "offer withdrawn"}
