"""publishCapacityOffer, updateCapacityOffer, withdrawCapacityOffer: a manufacturer's own shared capacity."""

from __future__ import annotations

import pytest
from apiclient import ERRORS

OFFER = """id processText description monthlyVolume unit availableFrom availableTo leadTimeDays moq bookedVolume
           status processes { capability { code } confidence method } material { code }
           provider { id ... on Manufacturer { capacityOffers(includeWithdrawn: true) { id status } } }"""

PUBLISH = f"""
mutation($input: PublishCapacityOfferInput!) {{
  publishCapacityOffer(input: $input) {{ capacityOffer {{ {OFFER} }} {ERRORS} }}
}}"""

UPDATE = f"""
mutation($input: UpdateCapacityOfferInput!) {{
  updateCapacityOffer(input: $input) {{ capacityOffer {{ {OFFER} }} {ERRORS} }}
}}"""

WITHDRAW = f"""
mutation($input: WithdrawCapacityOfferInput!) {{
  withdrawCapacityOffer(input: $input) {{ capacityOffer {{ id status }} {ERRORS} }}
}}"""

VALID = {"processText": "铝合金压铸", "description": "800吨压铸岛两台，夜班空闲", "monthlyVolume": 20000,
         "unit": "PIECE", "availableFrom": "2099-01-01", "availableTo": "2099-06-30", "leadTimeDays": 10,
         "moq": 500, "material": "ADC12"}


async def test_publish_update_and_withdraw(api):
    provider_id, token, _ = await api.register_provider()
    published = (await api.ok(PUBLISH, {"input": VALID}, token=token))["publishCapacityOffer"]["capacityOffer"]
    assert published["status"] == "PUBLISHED" and published["bookedVolume"] == 0
    assert published["processes"][0] == {"capability": {"code": "P.CAST.DIE.AL"}, "confidence": 0.95,
                                          "method": "ALIAS"}
    assert published["material"] == {"code": "M.AL.ADC12"}
    assert published["availableTo"] == "2099-06-30" and published["moq"] == 500
    assert published["provider"]["id"] == provider_id

    updated = (await api.ok(UPDATE, {"input": {"id": published["id"], "processText": "CNC精密加工",
                                               "monthlyVolume": 8000, "material": None}},
                            token=token))["updateCapacityOffer"]["capacityOffer"]
    assert updated["processText"] == "CNC精密加工" and updated["monthlyVolume"] == 8000
    assert updated["processes"][0]["capability"]["code"].startswith("P.MACH")
    assert updated["material"] is None
    assert updated["availableFrom"] == "2099-01-01"  # not given: unchanged

    withdrawn = (await api.ok(WITHDRAW, {"input": {"id": published["id"]}}, token=token))["withdrawCapacityOffer"]
    assert withdrawn["capacityOffer"]["status"] == "WITHDRAWN"
    again = (await api.run(WITHDRAW, {"input": {"id": published["id"]}}, token=token)).data
    assert again["withdrawCapacityOffer"]["errors"][0]["code"] == "INVALID_STATE"
    change = (await api.run(UPDATE, {"input": {"id": published["id"], "moq": 1}}, token=token)).data
    assert change["updateCapacityOffer"]["errors"][0]["code"] == "INVALID_STATE"


async def test_withdrawn_offers_are_seen_only_by_their_manufacturer_and_staff(api, staff_token):
    provider_id, token, _ = await api.register_provider()
    offer = (await api.ok(PUBLISH, {"input": VALID}, token=token))["publishCapacityOffer"]["capacityOffer"]
    await api.ok(WITHDRAW, {"input": {"id": offer["id"]}}, token=token)
    query = f'{{ node(id: "{offer["id"]}") {{ ... on CapacityOffer {{ status }} }} }}'
    assert (await api.ok(query))["node"] is None
    _, other_token, _ = await api.register_provider()
    assert (await api.ok(query, token=other_token))["node"] is None
    assert (await api.ok(query, token=token))["node"] == {"status": "WITHDRAWN"}
    assert (await api.ok(query, token=staff_token))["node"] == {"status": "WITHDRAWN"}
    listing = f'{{ node(id: "{provider_id}") {{ ... on Manufacturer {{ capacityOffers {{ id }} }} }} }}'
    assert (await api.ok(listing, token=token))["node"]["capacityOffers"] == []  # published only by default
    # another manufacturer cannot even find it to change it
    denied = (await api.run(UPDATE, {"input": {"id": offer["id"], "moq": 1}}, token=other_token)).data
    assert denied["updateCapacityOffer"]["errors"][0]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({"monthlyVolume": 0}, "NOT_POSITIVE", "monthlyVolume"),
    ({"monthlyVolume": -5}, "NOT_POSITIVE", "monthlyVolume"),
    ({"moq": 0}, "NOT_POSITIVE", "moq"),
    ({"leadTimeDays": -1}, "NEGATIVE", "leadTimeDays"),
    ({"availableFrom": "2099-07-01", "availableTo": "2099-06-30"}, "WINDOW_REVERSED", "availableTo"),
    ({"processText": " "}, "REQUIRED", "processText"),
    ({"processText": "工" * 501}, "TOO_LONG", "processText"),
    ({"unit": None, "unitText": "一坨"}, "UNRESOLVED", "unitText"),
    ({"unit": "PIECE", "unitText": "箱"}, "INVALID", "unitText"),
    ({"unit": None}, "REQUIRED", "unit"),
    ({"materials": ["钢" * 501]}, "TOO_LONG", "materials.0"),
    ({"capabilityCodes": ["P.NOPE"]}, "UNKNOWN_CODE", "capabilityCodes.0"),
])
async def test_publish_validates_and_writes_nothing(api, db, fields, code, field):
    _, token, _ = await api.register_provider()
    payload = (await api.run(PUBLISH, {"input": {**VALID, **fields}}, token=token)).data["publishCapacityOffer"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert payload["capacityOffer"] is None
    assert (await db.read("MATCH (o:CapacityOffer) RETURN count(o) AS n"))[0]["n"] == 0


async def test_moq_above_monthly_volume_is_allowed(api):
    _, token, _ = await api.register_provider()
    await api.ok(PUBLISH, {"input": {**VALID, "monthlyVolume": 100, "moq": 1000}}, token=token)


async def test_update_validates_against_the_stored_offer(api):
    _, token, _ = await api.register_provider()
    offer = (await api.ok(PUBLISH, {"input": VALID}, token=token))["publishCapacityOffer"]["capacityOffer"]
    reversed_window = (await api.run(UPDATE, {"input": {"id": offer["id"], "availableTo": "2098-12-31"}},
                                     token=token)).data["updateCapacityOffer"]
    assert [(e["code"], e["field"]) for e in reversed_window["errors"]] == [("WINDOW_REVERSED", "availableTo")]
    no_volume = (await api.run(UPDATE, {"input": {"id": offer["id"], "monthlyVolume": None}},
                               token=token)).data["updateCapacityOffer"]
    assert no_volume["errors"][0]["code"] == "REQUIRED"


async def test_who_may_publish_and_change_offers(api, staff_token):
    _, token, _ = await api.register_provider()
    _, other_token, _ = await api.register_provider()
    _, service_token, _ = await api.register_provider(kind="SERVICE_PROVIDER")
    _, enterprise_token, _ = await api.register_enterprise()
    for who, expected in ((None, "UNAUTHENTICATED"), (enterprise_token, "FORBIDDEN"), (staff_token, "FORBIDDEN"),
                          (service_token, "FORBIDDEN")):  # only manufacturers offer capacity
        payload = (await api.run(PUBLISH, {"input": VALID}, token=who)).data["publishCapacityOffer"]
        assert payload["errors"][0]["code"] == expected, who
    offer = (await api.ok(PUBLISH, {"input": VALID}, token=token))["publishCapacityOffer"]["capacityOffer"]
    for mutation, document, variables in (("updateCapacityOffer", UPDATE, {"id": offer["id"], "moq": 1}),
                                          ("withdrawCapacityOffer", WITHDRAW, {"id": offer["id"]})):
        for who, expected in ((None, "UNAUTHENTICATED"), (enterprise_token, "FORBIDDEN"),
                              (other_token, "FORBIDDEN")):  # a published offer is public: exists, not yours
            payload = (await api.run(document, {"input": variables}, token=who)).data[mutation]
            assert payload["errors"][0]["code"] == expected, (mutation, who)
