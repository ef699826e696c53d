"""统一社会信用代码 (Unified Social Credit Identifier) per GB 32100-2015.

Layout of the 18 characters::

    9        1        110108      55852163   0      L
    |        |        |           |          |      +-- check character (GB 32100, mod 31)
    |        |        |           |          +--------- organisation-code check character (GB 11714, mod 11)
    |        |        |           +-------------------- organisation-code body (8 chars)
    |        |        +-------------------------------- administrative division code (GB/T 2260, 6 digits)
    |        +----------------------------------------- organisation type (1 = enterprise for authority 9)
    +-------------------------------------------------- registration authority (9 = 工商/市场监管)

Only the 31 characters ``0-9 A-H J-N P-R T U W-Y`` are allowed (no I, O, S, V, Z).
"""

from __future__ import annotations

import random
import re

__all__ = [
    "ALPHABET",
    "check_digit",
    "generate",
    "is_valid",
    "org_check_char",
    "region_division",
]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**i mod 31

# GB 11714-1997: weights for the 8 body characters; letters are worth A=10 … Z=35.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_SHAPE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{18}$")


def _org_value(char: str) -> int:
    if char.isdigit():
        return ord(char) - ord("0")
    return ord(char) - ord("A") + 10


def org_check_char(body8: str) -> str:
    """The GB 11714 check character of an 8-character organisation-code body ('0'-'9' or 'X')."""
    if len(body8) != 8 or not all(c.isdigit() or "A" <= c <= "Z" for c in body8):
        raise ValueError(f"organisation-code body must be 8 characters 0-9/A-Z: {body8!r}")
    total = sum(_org_value(c) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True))
    r = 11 - total % 11
    if r == 10:
        return "X"
    if r == 11:
        return "0"
    return str(r)


def check_digit(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    if len(first17) != 17:
        raise ValueError(f"need exactly 17 characters, got {len(first17)}")
    try:
        total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} is not allowed in a credit code") from None
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: object) -> bool:
    """True iff ``code`` is a well-formed credit code with both check characters right."""
    if not isinstance(code, str) or not _SHAPE.match(code):
        return False
    if not code[2:8].isdigit():
        return False
    if org_check_char(code[8:16]) != code[16]:
        return False
    return check_digit(code[:17]) == code[17]


def region_division(region_code: str, divisions: dict[str, str] | None = None) -> str:
    """The 6-digit administrative division code for a region.

    ``region_code`` may already be a 6-digit division code; otherwise it is looked up in
    ``divisions`` (region code → division code) and, failing that, in the built-in table
    of the cities the sample data uses.  Unknown regions fall back to a stable division
    derived from the code so that generation never fails.
    """
    if len(region_code) == 6 and region_code.isdigit():
        return region_code
    if divisions and region_code in divisions:
        return divisions[region_code]
    key = region_code.upper()
    for name, division in _KNOWN_DIVISIONS.items():
        if name in key:
            return division
    # Stable fallback: a province-level prefix from the code's characters.
    h = sum((i + 1) * ord(c) for i, c in enumerate(key))
    return f"{11 + h % 55:02d}{h // 55 % 20 + 1:02d}00"


# City → GB/T 2260 division code (city level, "xx xx 00").  Matched as substrings of the
# region code, so "CN.SC.CHENGDU", "CITY.CHENGDU" and "CHENGDU" all resolve.
_KNOWN_DIVISIONS: dict[str, str] = {
    "CHENGDU": "510100",
    "ZIGONG": "510300",
    "PANZHIHUA": "510400",
    "LUZHOU": "510500",
    "DEYANG": "510600",
    "MIANYANG": "510700",
    "GUANGYUAN": "510800",
    "SUINING": "510900",
    "NEIJIANG": "511000",
    "LESHAN": "511100",
    "NANCHONG": "511300",
    "MEISHAN": "511400",
    "YIBIN": "511500",
    "GUANG_AN": "511600",
    "GUANGAN": "511600",
    "DAZHOU": "511700",
    "YAAN": "511800",
    "YA_AN": "511800",
    "BAZHONG": "511900",
    "ZIYANG": "512000",
    "CHONGQING": "500100",
    "BEIJING": "110100",
    "TIANJIN": "120100",
    "SHANGHAI": "310100",
    "SHIJIAZHUANG": "130100",
    "TAIYUAN": "140100",
    "SHENYANG": "210100",
    "DALIAN": "210200",
    "CHANGCHUN": "220100",
    "HARBIN": "230100",
    "NANJING": "320100",
    "WUXI": "320200",
    "CHANGZHOU": "320400",
    "SUZHOU": "320500",
    "HANGZHOU": "330100",
    "NINGBO": "330200",
    "WENZHOU": "330300",
    "HEFEI": "340100",
    "FUZHOU": "350100",
    "XIAMEN": "350200",
    "NANCHANG": "360100",
    "JINAN": "370100",
    "QINGDAO": "370200",
    "ZHENGZHOU": "410100",
    "WUHAN": "420100",
    "CHANGSHA": "430100",
    "GUANGZHOU": "440100",
    "SHENZHEN": "440300",
    "FOSHAN": "440600",
    "DONGGUAN": "441900",
    "NANNING": "450100",
    "HAIKOU": "460100",
    "GUIYANG": "520100",
    "KUNMING": "530100",
    "XIAN": "610100",
    "XI_AN": "610100",
    "LANZHOU": "620100",
    "XINING": "630100",
    "YINCHUAN": "640100",
    "URUMQI": "650100",
    "HOHHOT": "150100",
    "LHASA": "540100",
}


def _random_org_body(rng: random.Random) -> str:
    # Real organisation codes are mostly digits; some carry letters (never I, O, S, V, Z
    # once embedded in a credit code).
    if rng.random() < 0.85:
        return "".join(rng.choice("0123456789") for _ in range(8))
    letters = "ABCDEFGHJKLMNPQRTUWXY"
    body = [rng.choice("0123456789") for _ in range(8)]
    for i in rng.sample(range(8), rng.randint(1, 2)):
        body[i] = rng.choice(letters)
    return "".join(body)


def generate(rng: random.Random, region_code: str, divisions: dict[str, str] | None = None) -> str:
    """A valid enterprise credit code ('9' + '1' + division + org code + check).

    The organisation code's own check character may be 'X' or a digit; either is in the
    GB 32100 alphabet.
    """
    division = region_division(region_code, divisions)
    body = _random_org_body(rng)
    first17 = "91" + division + body + org_check_char(body)
    return first17 + check_digit(first17)
