"""Resolving what people type to reference-data codes by name or alias: pure Python, no model, no graph.

`normalise` folds the spelling differences that carry no meaning — full-width forms, case, spaces,
hyphens, dots, colons, slashes, brackets and other punctuation — and strips the generic suffixes 省, 市,
地区, 认证 and 体系, so "ISO 9001:2015" = "iso90012015", "IATF-16949" = "iatf16949", "重庆市" = "重庆" and
"四川省" = "四川". A suffix is only stripped while at least two characters remain, so "城市" and "超市" stay
whole; "市辖区" ends in 区 and is never touched.

`AliasIndex` maps normalised names and aliases to codes. `resolve` is an exact lookup of one term;
`resolve_all` finds every alias inside a longer text, longest match first and without overlaps.

Ambiguity: when two codes share a normalised alias the index resolves it deterministically to the more
specific node (deeper in its hierarchy; by default the code with more dot-separated segments, since
gongxu codes are dotted paths such as P.CAST.DIE), then to the code whose primary name it is, then to
the smaller code; every such key is listed in `AliasIndex.ambiguous`. The shipped seed data has no
ambiguous key at all — a test keeps it that way — so the rule only matters for data added later.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["AliasIndex", "AliasMatch", "fold", "normalise"]

SUFFIXES = ("认证", "体系", "地区", "省", "市")
MIN_SUFFIX_REMAINDER = 2
MIN_SCAN_LENGTH = 2  # aliases shorter than this ("川", "渝") resolve exactly but are never searched for
KEEP = frozenset("#&")  # punctuation that changes meaning: "45#" steel, "R&D"
DROP = frozenset("+")  # symbols that only join words: "5G+工业互联网", "PC+ABS"


def _fold_chars(text: str) -> tuple[list[str], list[int], list[bool]]:
    """Fold `text` character by character.

    Returns the kept characters, the index in `text` each came from, and for each kept character whether
    something was dropped right before it (a separator, which counts as a word boundary when searching).
    """
    chars: list[str] = []
    origin: list[int] = []
    gap_before: list[bool] = []
    gap = False
    for index, raw in enumerate(text):
        for char in unicodedata.normalize("NFKC", raw).lower():
            category = unicodedata.category(char)
            if char not in KEEP and (
                char in DROP or char.isspace() or category[0] in "PZ" or category in ("Cc", "Cf")
            ):
                gap = True
                continue
            chars.append(char)
            origin.append(index)
            gap_before.append(gap)
            gap = False
    return chars, origin, gap_before


def fold(text: str) -> str:
    """NFKC, lower case, no spaces or punctuation (except # and &); no suffix stripping."""
    return "".join(_fold_chars(text)[0])


def _strip_suffixes(folded: str) -> str:
    """Strip generic suffixes, repeatedly, in time linear in the text: the end moves left and the text is
    sliced once (slicing on every strip made "市市市…" quadratic: a 3 MB filter held the event loop)."""
    end = len(folded)
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if end - len(suffix) >= MIN_SUFFIX_REMAINDER and folded.startswith(suffix, end - len(suffix), end):
                end -= len(suffix)
                changed = True
    return folded[:end]


def normalise(text: str) -> str:
    """The key under which a term is looked up: `fold`, then strip generic suffixes where safe."""
    return _strip_suffixes(fold(text))


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


@dataclass(frozen=True, slots=True)
class AliasMatch:
    """An alias found in a text: `text[start:end]` is the matched span of the original text."""

    code: str
    alias: str
    start: int
    end: int


class AliasIndex:
    """Names and aliases of reference records → codes.

    `entries` are `(code, [primary name, *other names and aliases])`. `depth` ranks codes when two share a
    normalised alias (higher wins); by default it is the number of dot-separated segments of the code.
    """

    def __init__(
        self,
        entries: Iterable[tuple[str, Sequence[str]]],
        *,
        depth: Mapping[str, int] | Callable[[str], int] | None = None,
    ) -> None:
        if depth is None:
            rank_depth: Callable[[str], int] = lambda code: code.count(".")  # noqa: E731
        elif callable(depth):
            rank_depth = depth
        else:
            rank_depth = lambda code: depth.get(code, 0)  # noqa: E731

        # key → {code: is that code's primary name}
        exact: dict[str, dict[str, bool]] = {}
        scan: dict[str, dict[str, bool]] = {}
        self._codes: list[str] = []
        self._primary: dict[str, str] = {}
        for code, names in entries:
            self._codes.append(code)
            if names:
                self._primary[code] = names[0]
            for position, name in enumerate(names):
                primary = position == 0
                folded = fold(name)
                key = _strip_suffixes(folded)
                if not key:
                    continue
                _add(exact, key, code, primary)
                # both the spelling as written ("成都市") and the stripped key ("成都") are searched for
                for form in {folded, key}:
                    if len(form) >= MIN_SCAN_LENGTH:
                        _add(scan, form, code, primary)

        def best(candidates: dict[str, bool]) -> str:
            return min(candidates, key=lambda code: (-rank_depth(code), not candidates[code], code))

        self._exact = {key: best(candidates) for key, candidates in exact.items()}
        self._scan = {form: best(candidates) for form, candidates in scan.items()}
        self._scan_lengths = sorted({len(form) for form in self._scan}, reverse=True)
        self._first_chars = frozenset(form[0] for form in self._scan)
        self.ambiguous: dict[str, tuple[str, ...]] = {
            key: tuple(sorted(candidates)) for key, candidates in exact.items() if len(candidates) > 1
        }

    @classmethod
    def from_records(
        cls, records: Iterable[Any], *, depth: Callable[[Any], int] | None = None
    ) -> AliasIndex:
        """An index over seed records (anything with `code`, `aliases` and `name` or `name_zh`/`name_en`).

        The default depth is the hierarchy level: `level` when it is a number (capabilities), GROUP <
        PROVINCE < CITY for regions, family < grade for materials (anything with a `parent`), else 0.
        """
        records = list(records)
        rank = depth or _record_depth
        entries = []
        for record in records:
            names = [getattr(record, "name", None), getattr(record, "name_zh", None),
                     getattr(record, "name_en", None), *record.aliases]
            entries.append((record.code, [name for name in names if name]))
        return cls(entries, depth={record.code: rank(record) for record in records})

    def __len__(self) -> int:
        return len(self._codes)

    @property
    def codes(self) -> list[str]:
        return list(self._codes)

    def resolve(self, term: str) -> str | None:
        """The code whose name or alias is `term` (after normalisation), or None."""
        return self._exact.get(normalise(term))

    def find(self, text: str) -> list[AliasMatch]:
        """Every alias occurring in `text`, longest first and without overlaps, in order of position.

        Aliases shorter than two characters are not searched for. An alias starting or ending with an ASCII
        letter or digit matches only where that end is a word boundary in the text, so "PC" is not found in
        "PCB", nor "304" in "SUS3040", while "5G" is found in "5G网络" and "ABS" in "ABS/PC".
        """
        chars, origin, gap_before = _fold_chars(text)
        n = len(chars)
        folded = "".join(chars)

        def boundary(position: int) -> bool:
            """True if a word may start/end between chars[position - 1] and chars[position]."""
            if position in (0, n) or gap_before[position]:
                return True
            return not (_is_ascii_alnum(chars[position - 1]) and _is_ascii_alnum(chars[position]))

        candidates: list[tuple[int, int, str]] = []
        for start in range(n):
            if chars[start] not in self._first_chars:
                continue
            for length in self._scan_lengths:
                end = start + length
                if end > n:
                    continue
                code = self._scan.get(folded[start:end])
                if code is None:
                    continue
                if _is_ascii_alnum(chars[start]) and not boundary(start):
                    continue
                if _is_ascii_alnum(chars[end - 1]) and not boundary(end):
                    continue
                candidates.append((start, end, code))

        taken = [False] * n
        chosen: list[tuple[int, int, str]] = []
        for start, end, code in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
            if any(taken[start:end]):
                continue
            for position in range(start, end):
                taken[position] = True
            chosen.append((start, end, code))
        chosen.sort()
        return [
            AliasMatch(code, text[origin[start] : origin[end - 1] + 1], origin[start], origin[end - 1] + 1)
            for start, end, code in chosen
        ]

    def primary(self, code: str) -> str:
        """The primary (first) name of ``code``, or the code itself."""
        return self._primary.get(code, code)

    def nearest(self, term: str, limit: int = 3) -> list[str]:
        """Up to ``limit`` codes whose names or aliases are spelled most like ``term`` (for "did you mean"):
        names containing the term or contained in it first, then by edit-distance similarity."""
        key = normalise(term)
        if not key:
            return []
        found: list[str] = []
        containing = sorted((k for k in self._exact if len(k) >= MIN_SCAN_LENGTH and (key in k or k in key)),
                            key=lambda k: (abs(len(k) - len(key)), k))
        close = difflib.get_close_matches(key, list(self._exact), n=limit * 4, cutoff=0.4)
        for k in [*containing, *close]:
            code = self._exact[k]
            if code not in found:
                found.append(code)
            if len(found) >= limit:
                break
        return found

    def resolve_all(self, text: str) -> list[str]:
        """The codes of every alias found in `text` (see `find`), each once, in order of first occurrence."""
        return list(dict.fromkeys(match.code for match in self.find(text)))


def _add(table: dict[str, dict[str, bool]], key: str, code: str, primary: bool) -> None:
    codes = table.setdefault(key, {})
    codes[code] = codes.get(code, False) or primary


_REGION_DEPTH = {"GROUP": 0, "PROVINCE": 1, "CITY": 2}


def _record_depth(record: Any) -> int:
    level = getattr(record, "level", None)
    if isinstance(level, int):
        return level
    if isinstance(level, str):
        return _REGION_DEPTH.get(level, 0)
    if hasattr(record, "parent"):
        return 2 if record.parent else 1
    return 0
