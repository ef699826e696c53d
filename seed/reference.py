"""The reference data (taxonomy) of gongxu: typed records and a strict loader for `seed/data/*.jsonl`.

Every file is JSON Lines: one object per line, UTF-8, no blank lines, exactly the keys of its record type.
`read_jsonl` checks one file line by line and raises `SeedFileError` at the first problem, with the file,
the line number and the reason ("seed/data/capabilities.jsonl:12: unknown parent 'S.FOO'"), so a broken
edit is found before anything reaches the graph.  `load_reference` reads all seven files and checks what can
only be checked across files; it returns everything or raises, never a partial set.

Optional keys (`OPTIONAL` of a record type) may be left out of a line and then take their default; when
present they follow the required keys. They carry the vocabulary people type that is kept apart from the
curated `aliases` (see docs/TAXONOMY.md, "User vocabulary"):

- `user_terms` (capabilities, materials, certifications, industries): further names people type for the node.
  They resolve like aliases (`Record.names`), but the sample generator never writes them, so the
  development set built from `aliases` cannot leak them and a second, hand-written set measures them.
- `problems` (capabilities; every SERVICE node has some): short phrases in the words of people who have
  the problem the service solves ("库存不准", "设备突然停机"), for linking and retrieving needs that
  describe a problem instead of naming a service. They are not names and never resolve as aliases.
- `satisfies` (certifications): codes a holder of this certification also meets (a higher level covers a
  lower one: 等保三级 satisfies 等保二级, CMMI 5 satisfies CMMI 3 and "CMMI, any level").

Hierarchies are written parents first, so a parent must appear on an earlier line than its children; this
keeps the check single-pass and makes "unknown parent" mean the same thing for typos and for ordering.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

__all__ = [
    "DATA_DIR",
    "FILES",
    "Capability",
    "Certification",
    "Industry",
    "Material",
    "Reference",
    "Region",
    "SeedFileError",
    "SharingMode",
    "Unit",
    "load_reference",
    "read_jsonl",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

CapabilityKind = Literal["SERVICE", "PROCESS"]
RegionLevel = Literal["GROUP", "PROVINCE", "CITY"]


class SeedFileError(ValueError):
    """A seed file is malformed. `line` is 1-based, or None when the problem is the file as a whole."""

    def __init__(self, path: str | Path, line: int | None, reason: str) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = reason
        super().__init__(f"{_display(self.path)}{'' if line is None else f':{line}'}: {reason}")


def _display(path: Path) -> str:
    """The path relative to the working directory when it is below it (as editors and CI print paths)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------------------------------
# field checks: each takes the raw JSON value and returns the typed value or raises _Invalid(reason)


class _Invalid(Exception):
    pass


def _str(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(f"{key!r} must be a non-empty string, got {value!r}")
    if value != value.strip():
        raise _Invalid(f"{key!r} has leading or trailing whitespace: {value!r}")
    return value


def _opt_str(value: Any, key: str) -> str | None:
    return None if value is None else _str(value, key)


def _str_list(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _Invalid(f"{key!r} must be a list of strings, got {type(value).__name__}")
    items = tuple(_str(item, key) for item in value)
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise _Invalid(f"{key!r} lists {item!r} twice")
        seen.add(item)
    return items


def _bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"{key!r} must be true or false, got {value!r}")
    return value


def _number(value: Any, key: str) -> float:
    # bool is an int subclass: reject it explicitly so `"lat": true` is not read as 1.0
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Invalid(f"{key!r} must be a number, got {value!r}")
    return float(value)


def _opt_number(value: Any, key: str) -> float | None:
    return None if value is None else _number(value, key)


def _enum(*allowed: str) -> Callable[[Any, str], str]:
    def check(value: Any, key: str) -> str:
        if value not in allowed:
            raise _Invalid(f"{key!r} must be one of {', '.join(allowed)}, got {value!r}")
        return value

    return check


# --------------------------------------------------------------------------------------------------
# record types; FIELDS fixes the keys, their order in the files, and how each is checked


@dataclass(frozen=True, slots=True)
class Capability:
    """A service or process in the capability taxonomy (level 1 category, 2 capability, 3 sub-capability)."""

    code: str
    name_zh: str
    name_en: str
    kind: CapabilityKind
    parent: str | None
    aliases: tuple[str, ...]
    description: str
    user_terms: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    FIELDS: ClassVar[dict[str, Callable[[Any, str], Any]]] = {
        "code": _str,
        "name_zh": _str,
        "name_en": _str,
        "kind": _enum("SERVICE", "PROCESS"),
        "parent": _opt_str,
        "aliases": _str_list,
        "description": _str,
    }
    OPTIONAL: ClassVar[dict[str, Callable[[Any, str], Any]]] = {"user_terms": _str_list, "problems": _str_list}
    CODE_RE: ClassVar[re.Pattern[str]] = re.compile(r"[SP](\.[A-Z0-9_]+)+")

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the node resolves by: primary names, aliases, then user terms (not problems)."""
        return (self.name_zh, self.name_en, *self.aliases, *self.user_terms)

    @property
    def level(self) -> int:
        """1, 2 or 3; the code is the parent's code plus one segment, so the level is its segment count."""
        return self.code.count(".")


@dataclass(frozen=True, slots=True)
class Material:
    """A material family (parent null) or a grade within a family."""

    code: str
    name_zh: str
    name_en: str
    parent: str | None
    aliases: tuple[str, ...]
    user_terms: tuple[str, ...] = ()

    FIELDS: ClassVar[dict[str, Callable[[Any, str], Any]]] = {
        "code": _str,
        "name_zh": _str,
        "name_en": _str,
        "parent": _opt_str,
        "aliases": _str_list,
    }
    OPTIONAL: ClassVar[dict[str, Callable[[Any, str], Any]]] = {"user_terms": _str_list}
    CODE_RE: ClassVar[re.Pattern[str]] = re.compile(r"M\.[A-Z0-9_]+(\.[A-Z0-9_]+)?")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name_zh, self.name_en, *self.aliases, *self.user_terms)

    @property
    def family(self) -> str:
        """The code of the family this material belongs to (its own code for a family)."""
        return self.parent or self.code


@dataclass(frozen=True, slots=True)
class Certification:
    """A certificate, permit or qualification a provider can hold."""

    code: str
    name: str
    aliases: tuple[str, ...]
    user_terms: tuple[str, ...] = ()
    satisfies: tuple[str, ...] = ()

    FIELDS: ClassVar[dict[str, Callable[[Any, str], Any]]] = {
        "code": _str,
        "name": _str,
        "aliases": _str_list,
    }
    OPTIONAL: ClassVar[dict[str, Callable[[Any, str], Any]]] = {"user_terms": _str_list, "satisfies": _str_list}
    CODE_RE: ClassVar[re.Pattern[str]] = re.compile(r"CERT\.[A-Z0-9_]+")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.user_terms)


@dataclass(frozen=True, slots=True)
class Industry:
    """A GB/T 4754-2017 manufacturing division (`C13`…`C43`) or a pillar industry of the documents (`P-…`)."""

    code: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    pillar: bool
    user_terms: tuple[str, ...] = ()

    FIELDS: ClassVar[dict[str, Callable[[Any, str], Any]]] = {
        "code": _str,
        "name_zh": _str,
        "name_en": _str,
        "aliases": _str_list,
        "pillar": _bool,
    }
    OPTIONAL: ClassVar[dict[str, Callable[[Any, str], Any]]] = {"user_terms": _str_list}
    CODE_RE: ClassVar[re.Pattern[str]] = re.compile(r"C\d{2}|P-[A-Z0-9_]+")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name_zh, self.name_en, *self.aliases, *self.user_terms)


@dataclass(frozen=True, slots=True)
class Region:
    """A named group of regions, a provincial-level division or a city (prefecture, or municipal district).

    `parents` of a CITY start with its province, followed by every group it is in; `parents` of a PROVINCE
    are the groups it lies wholly in; a GROUP has none.
    """

    code: str
    name_zh: str
    name_en: str
    level: RegionLevel
    parents: tuple[str, ...]
    aliases: tuple[str, ...]
    lat: float
    lon: float

    FIELDS: ClassVar[dict[str, Callable[[Any, str], Any]]] = {
        "code": _str,
        "name_zh": _str,
        "name_en": _str,
        "level": _enum("GROUP", "PROVINCE", "CITY"),
        "parents": _str_list,
        "aliases": _str_list,
        "lat": _number,
        "lon": _number,
    }
    CODE_RE: ClassVar[re.Pattern[str]] = re.compile(r"\d{6}|GRP\.[A-Z0-9_]+")

    @property
    def province(self) -> str | None:
        """The province code of a CITY, None for provinces and groups."""
        return self.parents[0] if self.level == "CITY" else None

    @property
    def groups(self) -> tuple[str, ...]:
        """The codes of the groups this region is listed in."""
        return self.parents[1:] if self.level == "CITY" else self.parents


@dataclass(frozen=True, slots=True)
class SharingMode:
    """One of the four 共享制造 modes."""

    code: str
    name_zh: str
    name_en: str
    description: str

    FIELDS: ClassVar[dict[str, Callable[[Any, str], Any]]] = {
        "code": _str,
        "name_zh": _str,
        "name_en": _str,
        "description": _str,
    }
    CODE_RE: ClassVar[re.Pattern[str]] = re.compile(r"MODE\.[A-Z_]+")


UnitDimension = Literal["COUNT", "PACKAGE", "MASS", "LENGTH", "AREA", "TIME"]


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of quantity a need or capacity offer is counted in, with the words people type for it.

    `dimension` says what is counted; `factor` converts to the dimension's base unit (KG, METRE,
    SQUARE_METRE, HOUR; PIECE for COUNT) and is null where no fixed factor exists (a carton holds any number
    of pieces, a set any number of parts), so quantities in such units are never converted.
    """

    code: str
    name_zh: str
    name_en: str
    dimension: UnitDimension
    factor: float | None
    aliases: tuple[str, ...]

    FIELDS: ClassVar[dict[str, Callable[[Any, str], Any]]] = {
        "code": _str,
        "name_zh": _str,
        "name_en": _str,
        "dimension": _enum("COUNT", "PACKAGE", "MASS", "LENGTH", "AREA", "TIME"),
        "factor": _opt_number,
        "aliases": _str_list,
    }
    CODE_RE: ClassVar[re.Pattern[str]] = re.compile(r"[A-Z][A-Z_]*")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name_zh, self.name_en, *self.aliases)


Record = Capability | Material | Certification | Industry | Region | SharingMode | Unit
R = TypeVar("R", Capability, Material, Certification, Industry, Region, SharingMode, Unit)

# file name → record type, in load order
FILES: dict[str, type] = {
    "capabilities.jsonl": Capability,
    "materials.jsonl": Material,
    "certifications.jsonl": Certification,
    "industries.jsonl": Industry,
    "regions.jsonl": Region,
    "sharing_modes.jsonl": SharingMode,
    "units.jsonl": Unit,
}

MAX_CAPABILITY_LEVEL = 3


# --------------------------------------------------------------------------------------------------
# per-type checks that need the records read so far (parents come first)


def _check_user_terms(rec: Capability | Material | Certification | Industry) -> None:
    """A user term repeats no name or alias of its own node (it would add nothing)."""
    own = {name.casefold() for name in rec.names[: len(rec.names) - len(rec.user_terms)]}
    for term in rec.user_terms:
        if term.casefold() in own:
            raise _Invalid(f"user term {term!r} repeats a name or alias of {rec.code!r}")


def _check_capability(rec: Capability, seen: dict[str, Capability]) -> None:
    _check_user_terms(rec)
    expected_kind = "SERVICE" if rec.code.startswith("S.") else "PROCESS"
    if rec.kind != expected_kind:
        raise _Invalid(f"kind {rec.kind!r} does not match code {rec.code!r} (S.* is SERVICE, P.* is PROCESS)")
    if rec.level > MAX_CAPABILITY_LEVEL:
        raise _Invalid(f"bad level: {rec.code!r} would be level {rec.level}, at most {MAX_CAPABILITY_LEVEL}")
    if rec.parent is None:
        if rec.level != 1:
            raise _Invalid(f"bad level: {rec.code!r} has no parent but is not a level-1 code")
        return
    if rec.parent not in seen:
        raise _Invalid(f"unknown parent {rec.parent!r}")
    if rec.code.rsplit(".", 1)[0] != rec.parent:
        raise _Invalid(f"code {rec.code!r} must be its parent's code {rec.parent!r} plus one segment")
    if seen[rec.parent].kind != rec.kind:
        raise _Invalid(f"kind {rec.kind!r} differs from its parent's kind {seen[rec.parent].kind!r}")


def _check_material(rec: Material, seen: dict[str, Material]) -> None:
    _check_user_terms(rec)
    if rec.parent is None:
        if rec.code.count(".") != 1:
            raise _Invalid(f"bad level: family {rec.code!r} must have a one-segment code like 'M.AL'")
        return
    if rec.parent not in seen:
        raise _Invalid(f"unknown parent {rec.parent!r}")
    if seen[rec.parent].parent is not None:
        raise _Invalid(f"bad level: parent {rec.parent!r} is a grade; grades belong to a family")
    if rec.code.rsplit(".", 1)[0] != rec.parent:
        raise _Invalid(f"code {rec.code!r} must be its parent's code {rec.parent!r} plus one segment")


# mainland China with a margin; a point outside is a swapped or mistyped coordinate
_LAT_RANGE = (15.0, 54.0)
_LON_RANGE = (73.0, 136.0)


def _check_region(rec: Region, seen: dict[str, Region]) -> None:
    if not (_LAT_RANGE[0] <= rec.lat <= _LAT_RANGE[1] and _LON_RANGE[0] <= rec.lon <= _LON_RANGE[1]):
        raise _Invalid(f"lat/lon ({rec.lat}, {rec.lon}) is outside mainland China")
    for parent in rec.parents:
        if parent not in seen:
            raise _Invalid(f"unknown parent {parent!r}")
    levels = [seen[p].level for p in rec.parents]
    if rec.level == "GROUP":
        if not rec.code.startswith("GRP."):
            raise _Invalid(f"bad level: a GROUP needs a 'GRP.' code, got {rec.code!r}")
        if rec.parents:
            raise _Invalid("bad level: a GROUP has no parents")
        return
    if not rec.code.isdigit():
        raise _Invalid(f"bad level: a {rec.level} needs a six-digit GB/T 2260 code, got {rec.code!r}")
    if rec.level == "PROVINCE":
        if not rec.code.endswith("0000"):
            raise _Invalid(f"bad level: province code {rec.code!r} must end in 0000")
        if any(level != "GROUP" for level in levels):
            raise _Invalid("bad level: a PROVINCE may only list GROUPs as parents")
        return
    # CITY
    if rec.code.endswith("0000"):
        raise _Invalid(f"bad level: city code {rec.code!r} looks like a province code")
    if not levels or levels[0] != "PROVINCE" or any(level != "GROUP" for level in levels[1:]):
        raise _Invalid("bad level: a CITY lists its PROVINCE first, then only GROUPs")
    province = seen[rec.parents[0]]
    if province.code[:2] != rec.code[:2]:
        raise _Invalid(f"city {rec.code!r} is not in province {province.code!r} (GB/T 2260 prefix differs)")
    missing = [g for g in province.parents if g not in rec.parents]
    if missing:
        raise _Invalid(f"city {rec.code!r} is missing group(s) {missing} of its province {province.code!r}")


def _check_certification(rec: Certification, seen: dict[str, Certification]) -> None:
    _check_user_terms(rec)
    for code in rec.satisfies:
        if code == rec.code:
            raise _Invalid(f"{rec.code!r} lists itself in 'satisfies'")
        if code not in seen:
            raise _Invalid(f"'satisfies' names {code!r}, which is not on an earlier line")


def _check_industry(rec: Industry, seen: dict[str, Industry]) -> None:
    _check_user_terms(rec)


def _check_unit(rec: Unit, seen: dict[str, Unit]) -> None:
    has_factor = rec.factor is not None
    if rec.dimension == "PACKAGE" and has_factor:
        raise _Invalid(f"a PACKAGE unit has no fixed factor, got {rec.factor!r}")
    if has_factor and not rec.factor > 0:  # type: ignore[operator]
        raise _Invalid(f"'factor' must be positive, got {rec.factor!r}")


_CHECKS: dict[type, Callable[[Any, dict[str, Any]], None]] = {
    Capability: _check_capability,
    Material: _check_material,
    Certification: _check_certification,
    Industry: _check_industry,
    Region: _check_region,
    Unit: _check_unit,
}


# --------------------------------------------------------------------------------------------------


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeedFileError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise SeedFileError(path, None, f"not UTF-8: {exc}") from None
    if text.startswith("\ufeff"):
        raise SeedFileError(path, 1, "starts with a byte-order mark")
    if not text.strip():
        raise SeedFileError(path, None, "file is empty")
    lines = text.split("\n")
    if lines[-1] == "":  # the newline ending the last record
        lines.pop()
    yield from enumerate(lines, start=1)


def read_jsonl(path: str | Path, record_type: type[R]) -> list[R]:
    """Read and validate one seed file; raise SeedFileError at the first malformed line."""
    path = Path(path)
    schema: dict[str, Callable[[Any, str], Any]] = record_type.FIELDS
    optional: dict[str, Callable[[Any, str], Any]] = getattr(record_type, "OPTIONAL", {})
    check = _CHECKS.get(record_type)
    records: list[R] = []
    seen: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for number, line in _lines(path):
        if not line.strip():
            raise SeedFileError(path, number, "blank line")
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SeedFileError(path, number, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(raw, dict):
            raise SeedFileError(path, number, f"expected a JSON object, got {type(raw).__name__}")
        missing = [key for key in schema if key not in raw]
        if missing:
            raise SeedFileError(path, number, f"missing key {missing[0]!r}")
        extra = [key for key in raw if key not in schema and key not in optional]
        if extra:
            raise SeedFileError(path, number, f"unexpected key {extra[0]!r}")
        order = [key for key in (*schema, *optional) if key in raw]
        if list(raw) != order:
            raise SeedFileError(path, number, f"keys out of order: expected {', '.join(order)}")
        try:
            values = {key: validate(raw[key], key) for key, validate in schema.items()}
            values |= {key: validate(raw[key], key) for key, validate in optional.items() if key in raw}
            if not record_type.CODE_RE.fullmatch(values["code"]):
                raise _Invalid(f"bad code {values['code']!r} for {record_type.__name__}")
            if values["code"] in seen:
                code = values["code"]
                raise _Invalid(f"duplicate code {code!r} (first on line {first_line[code]})")
            record = record_type(**values)
            if check is not None:
                check(record, seen)
        except _Invalid as exc:
            raise SeedFileError(path, number, str(exc)) from None
        seen[record.code] = record
        first_line[record.code] = number
        records.append(record)
    return records


@dataclass(frozen=True)
class Reference:
    """All reference data, validated. Lookups by code are in `by_code` (codes are unique across files)."""

    capabilities: tuple[Capability, ...]
    materials: tuple[Material, ...]
    certifications: tuple[Certification, ...]
    industries: tuple[Industry, ...]
    regions: tuple[Region, ...]
    sharing_modes: tuple[SharingMode, ...]
    units: tuple[Unit, ...] = ()
    by_code: dict[str, Record] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code: dict[str, Record] = {}
        for records in self.all_lists():
            for record in records:
                by_code[record.code] = record
        object.__setattr__(self, "by_code", by_code)

    def all_lists(self) -> tuple[tuple[Record, ...], ...]:
        return (
            self.capabilities,
            self.materials,
            self.certifications,
            self.industries,
            self.regions,
            self.sharing_modes,
            self.units,
        )

    def children(self, code: str) -> list[Capability | Material]:
        """Direct children of a capability or material."""
        pool = self.capabilities if code[:2] in ("S.", "P.") else self.materials
        return [record for record in pool if record.parent == code]

    def group_members(self, group: str) -> list[Region]:
        """Provinces and cities in a group (a city is in it when it or its province lists the group)."""
        return [region for region in self.regions if self.in_group(region.code, group)]

    def in_group(self, region: str, group: str) -> bool:
        record = self.by_code.get(region)
        if not isinstance(record, Region) or record.level == "GROUP":
            return False
        if group in record.groups:
            return True
        province = self.by_code.get(record.province) if record.province else None
        return isinstance(province, Region) and group in province.groups


def load_reference(data_dir: str | Path | None = None) -> Reference:
    """Read and validate all seven files of `data_dir` (default `seed/data/`); everything or SeedFileError."""
    directory = Path(data_dir) if data_dir is not None else DATA_DIR
    loaded: dict[str, list[Any]] = {}
    # Each record type has its own code prefix (S./P., M., CERT., C/P-, digits/GRP., MODE.; units are bare
    # capitals like PIECE), so codes are unique across files by construction; within a file read_jsonl
    # rejects duplicates.
    for name, record_type in FILES.items():
        loaded[name] = read_jsonl(directory / name, record_type)
    return Reference(
        capabilities=tuple(loaded["capabilities.jsonl"]),
        materials=tuple(loaded["materials.jsonl"]),
        certifications=tuple(loaded["certifications.jsonl"]),
        industries=tuple(loaded["industries.jsonl"]),
        regions=tuple(loaded["regions.jsonl"]),
        sharing_modes=tuple(loaded["sharing_modes.jsonl"]),
        units=tuple(loaded["units.jsonl"]),
    )
