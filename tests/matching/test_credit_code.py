"""GB 32100-2015 统一社会信用代码 and its embedded GB 11714 organisation code."""

from __future__ import annotations

import random

import pytest

from matching.credit_code import ALPHABET, check_digit, generate, is_valid, org_check_char

# Published codes of well-known companies; each passes both check characters (computed below),
# which a mistyped code does with probability ~1/341.
REAL_CODES = {
    "91110000802100433B": "北京百度网讯科技有限公司",
    "914403001922038216": "华为技术有限公司",
    "91440300708461136T": "深圳市腾讯计算机系统有限公司",
    "91330100716105852F": "阿里巴巴（中国）有限公司",
    "91110108558521630L": "小米通讯技术有限公司",
}


@pytest.mark.parametrize("code", sorted(REAL_CODES))
def test_real_codes_are_valid(code: str) -> None:
    assert is_valid(code)
    assert check_digit(code[:17]) == code[17]
    assert org_check_char(code[8:16]) == code[16]


def test_check_digit_worked_example() -> None:
    # Weights are 3**(i) mod 31; check = (31 - sum mod 31) mod 31, written in the 31-character alphabet.
    first17 = "91110000802100433"
    total = sum(ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    assert ALPHABET[(31 - total % 31) % 31] == "B" == check_digit(first17)


def test_org_check_char_special_values() -> None:
    # r == 10 → 'X', r == 11 → '0'.
    assert org_check_char("00000000") == "0"
    # find a body whose check is X by brute force over a small space, then verify it by hand
    body = next(f"{n:08d}" for n in range(1000) if org_check_char(f"{n:08d}") == "X")
    total = sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    assert 11 - total % 11 == 10


def test_letter_values_in_org_code() -> None:
    # A=10 … letters in organisation-code bodies are allowed.
    body = "MA2F7Q8R"
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)
    )
    expect = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    assert org_check_char(body) == expect


@pytest.mark.parametrize(
    "code",
    [
        "91110000802100433C",  # wrong final check character
        "91110000802100432B",  # wrong organisation-code check character
        "91110000802100433",  # 17 characters
        "91110000802100433BB",  # 19 characters
        "",
        "91110000802I00433B",  # I is forbidden
        "91110000802O00433B",  # O is forbidden
        "9111000080210043SB",  # S is forbidden
        "91110000802V00433B",  # V is forbidden
        "91110000802Z00433B",  # Z is forbidden
        "91110000802100433b",  # lower case
        "9111A000802100433B",  # division code must be digits
        None,
        914403001922038216,
    ],
)
def test_invalid_codes(code: object) -> None:
    assert not is_valid(code)


def test_check_digit_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        check_digit("1234")
    with pytest.raises(ValueError):
        check_digit("9111000080210043I")


def test_every_single_character_change_is_detected() -> None:
    code = "914403001922038216"
    for i in range(18):
        for c in ALPHABET:
            if c != code[i]:
                mutated = code[:i] + c + code[i + 1 :]
                assert not is_valid(mutated), mutated


@pytest.mark.parametrize("region", ["CN.SC.CHENGDU", "CN.CQ.CHONGQING", "510100", "SOMEWHERE_UNKNOWN"])
def test_generate_is_valid_and_deterministic(region: str) -> None:
    a = [generate(random.Random(7), region) for _ in range(3)]
    assert len(set(a)) == 1
    rng = random.Random(42)
    codes = [generate(rng, region) for _ in range(2000)]
    assert all(is_valid(c) for c in codes)
    assert all(c.startswith("91") for c in codes)
    assert len({c[2:8] for c in codes}) == 1
    assert len(set(codes)) == len(codes)


def test_generate_uses_region_division() -> None:
    rng = random.Random(1)
    assert generate(rng, "CN.SC.CHENGDU")[2:8] == "510100"
    assert generate(rng, "x", {"x": "500112"})[2:8] == "500112"
    assert generate(rng, "440300")[2:8] == "440300"
