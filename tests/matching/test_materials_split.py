"""Splitting a typed list of materials into parts (pure; linking is tested over HTTP in tests/api/offers)."""

from __future__ import annotations

import pytest

from matching.materials import split_materials


@pytest.mark.parametrize(("texts", "parts"), [
    (["Q235碳钢等；aluminum alloy（5052-H32）"], ["Q235碳钢", "aluminum alloy", "5052-H32"]),
    (["白钢（304不锈钢、316L不锈钢）；6061铝、5052铝合金；TA2纯钛"],
     ["白钢", "304不锈钢", "316L不锈钢", "6061铝", "5052铝合金", "TA2纯钛"]),
    (["材料：SUS304, PA66(GF30) / ABS etc."], ["SUS304", "PA66", "GF30", "ABS"]),
    (["6061铝", "6061铝;ADC12等等"], ["6061铝", "ADC12"]),  # each part once, in order
    (["碳钢与合金钢"], ["碳钢与合金钢"]),  # a name containing 与 stays whole
    (["  ", "；；"], []),
])
def test_split(texts, parts):
    assert split_materials(texts) == parts
