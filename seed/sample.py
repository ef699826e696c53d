"""Deterministic, realistic sample data for gongxu: providers, capability statements, capacity offers,
enterprises and needs, with ground truth.

Every record is built by one function from its own index and the seed alone
(``random.Random(f"gongxu/{seed}/{kind}/{index}")``), never from a shared random stream, so

* ``python -m seed.sample --out seed/data/sample`` writes the same bytes on every machine, and
* :mod:`seed.scale` streams 100,000 or 1,000,000 providers through the very same builders, lazily and in
  constant memory, with ids continuing the same scheme (record *i* is the same in both).

Text comes from the phrase banks of :mod:`seed.phrases` (hand-written paraphrases per capability, merged
with the taxonomy's own names, aliases and description) through templates in several styles (formal,
marketing, informal, terse, English, mixed).  A text built from the bank of capability *c* mentions no other
capability's name or alias except *c*'s ancestors, so its ``capability_codes`` are its ground truth
(:meth:`Catalog.foreign_terms` checks exactly that, and the tests run it over every text).
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from matching import credit_code
from seed.phrases import BANKS, CATEGORY_DEFAULTS, Bank, names, styles
from seed.phrases import enterprises as ent_phrases
from seed.phrases.processes import MATERIAL_HINTS
from seed.reference import Capability, Reference, SeedFileError, load_reference

__all__ = [
    "DEFAULT_COUNTS",
    "SEED",
    "CapabilityStatement",
    "CapacityOffer",
    "Catalog",
    "Enterprise",
    "HeldCertification",
    "Need",
    "Provider",
    "ProviderBundle",
    "SampleData",
    "build_enterprise",
    "build_need",
    "build_provider_bundle",
    "catalog",
    "generate_sample",
    "provider_kind",
    "read_sample",
    "write_sample",
]

SEED = 20261123
TODAY = date(2026, 11, 23)  # the day the sample is "taken"; windows and deadlines are spread around it
DEFAULT_COUNTS = {"providers": 1000, "enterprises": 320, "needs": 240}
FILE_NAMES = {
    "providers": "providers.jsonl",
    "capability_statements": "capability_statements.jsonl",
    "capacity_offers": "capacity_offers.jsonl",
    "enterprises": "enterprises.jsonl",
    "needs": "needs.jsonl",
}

UNITS = ("PIECE", "SET", "KG", "TONNE", "METRE", "SQUARE_METRE", "HOUR")
UNIT_ZH = {
    "PIECE": "件",
    "SET": "套",
    "KG": "公斤",
    "TONNE": "吨",
    "METRE": "米",
    "SQUARE_METRE": "平方米",
    "HOUR": "小时",
}
UNIT_EN = {
    "PIECE": "pcs",
    "SET": "sets",
    "KG": "kg",
    "TONNE": "t",
    "METRE": "m",
    "SQUARE_METRE": "m²",
    "HOUR": "hours",
}
CERT_STATUSES = ("ACTIVE", "IN_PROGRESS", "EXPIRED")


# =============================================================================================
# Records
# =============================================================================================


@dataclass(frozen=True, slots=True)
class HeldCertification:
    """A certification a provider holds; only ACTIVE ones satisfy a need's hard constraint."""

    code: str
    status: str  # ACTIVE | IN_PROGRESS | EXPIRED
    valid_until: str | None  # ISO date; None while IN_PROGRESS


@dataclass(frozen=True, slots=True)
class Provider:
    id: str
    kind: str  # MANUFACTURER | SERVICE_PROVIDER
    name: str
    name_en: str
    credit_code: str
    description: str
    language: str  # zh | en | mixed (of the description)
    style: str
    region_code: str  # a CITY
    industry_codes: list[str]
    sharing_mode_codes: list[str]
    certifications: list[HeldCertification]
    rating: float
    website: str | None
    contact_name: str
    contact_phone: str
    contact_email: str
    created_at: str


@dataclass(frozen=True, slots=True)
class CapabilityStatement:
    id: str
    provider_id: str
    text: str
    language: str
    style: str
    capability_codes: list[str]  # ground truth: what the text is about


@dataclass(frozen=True, slots=True)
class CapacityOffer:
    id: str
    provider_id: str
    capability_code: str  # the PROCESS the offer is for (declared by the provider, and the ground truth)
    process_text: str
    description: str
    language: str
    material_code: str | None
    monthly_volume: int
    unit: str
    available_from: str
    available_to: str
    lead_time_days: int
    moq: int
    booked_volume: int
    status: str  # PUBLISHED | WITHDRAWN


@dataclass(frozen=True, slots=True)
class Enterprise:
    id: str
    name: str
    name_en: str
    credit_code: str
    description: str
    language: str
    style: str
    region_code: str
    industry_codes: list[str]
    contact_name: str
    contact_phone: str
    contact_email: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Need:
    id: str
    enterprise_id: str
    kind: str  # SERVICE | CAPACITY
    title: str
    description: str
    language: str
    style: str
    capability_codes: list[str]  # ground truth (never sent to the API as such)
    declared_capability_codes: list[str]  # what the client sends; empty for about half
    material_code: str | None
    quantity: int | None
    unit: str | None
    deadline: str
    required_certification_codes: list[str]
    region_code: str | None  # CITY, PROVINCE or GROUP constraint
    budget_min: int | None
    budget_max: int | None
    status: str  # OPEN | CLOSED
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class ProviderBundle:
    provider: Provider
    statements: list[CapabilityStatement]
    offers: list[CapacityOffer]


@dataclass(frozen=True, slots=True)
class SampleData:
    providers: list[Provider]
    capability_statements: list[CapabilityStatement]
    capacity_offers: list[CapacityOffer]
    enterprises: list[Enterprise]
    needs: list[Need]


# =============================================================================================
# Catalog: the reference data prepared for generation (built once per process)
# =============================================================================================

_CJK = re.compile(r"[\u3400-\u9fff]")


def _has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x for x in items if x))


# Material hints of the phrase banks that are words, not codes or aliases.
_MATERIAL_WORDS: dict[str, tuple[str, ...]] = {
    "ALU": ("M.AL",),
    "STEEL": ("M.STEEL",),
    "STAINLESS": ("M.SS",),
    "SS": ("M.SS",),
    "COPPER": ("M.CU",),
    "BRASS": ("M.CU.BRASS", "M.CU.H62", "M.CU.H59"),
    "TI": ("M.TI",),
    "MAG": ("M.MG",),
    "ZINC": ("M.ZN",),
    "ZAMAK": ("M.ZN",),
    "IRON": ("M.IRON",),
    "CAST": ("M.IRON",),
    "HT": ("M.IRON.HT200", "M.IRON.HT250"),
    "QT": ("M.IRON.QT450", "M.IRON.QT500", "M.IRON.QT600"),
    "NICKEL": ("M.NI",),
    "INCONEL": ("M.NI",),
    "ALLOY": ("M.STEEL.40CR", "M.STEEL.42CRMO", "M.STEEL.20CRMNTI"),
    "PLASTIC": ("M.GPLASTIC", "M.EPLASTIC"),
    "POLYMER": ("M.EPLASTIC",),
    "RUBBER": ("M.RUBBER",),
    "SILICONE": ("M.RUBBER.VMQ",),
    "COMPOSITE": ("M.COMP",),
    "CARBON": ("M.COMP.CFRP",),
    "GLASS": ("M.COMP.GFRP",),
    "EPOXY": ("M.COMP",),
    "PCB": ("M.PCBSUB",),
    "LAMINATE": ("M.PCBSUB",),
    "CABLE": ("M.CU.T2",),
    "WIRE": ("M.CU.T2",),
    "GALV": ("M.STEEL.SECC",),
    "PAPER": ("M.PAPER",),
    "TEXTILE": ("M.TEXTILE",),
    "FABRIC": ("M.TEXTILE",),
    "WOOD": ("M.WOOD",),
    "PANEL": ("M.WOOD.MDF", "M.WOOD.PB"),
    "BOARD": ("M.WOOD.PLYWOOD",),
    "HARDENED": ("M.STEEL.GCR15",),
}

# Grades a bare family hint does not imply (tool steels are not what a paint shop coats).
_NOT_IMPLIED = frozenset(
    {
        "M.STEEL.H13",
        "M.STEEL.P20",
        "M.STEEL.NAK80",
        "M.STEEL.SKD11",
        "M.STEEL.CR12MOV",
        "M.STEEL.GCR15",
        "M.STEEL.65MN",
        "M.CU.BECU",
        "M.AL.ALSI10MG",
        "M.SS.310S",
        "M.SS.2205",
        "M.SS.17_4PH",
    }
)

_INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "汽车": ("P-AUTO",),
    "电子": ("P-ELECINFO",),
    "航空": ("C37",),
    "医疗": ("P-BIOMED",),
    "装备": ("P-EQUIP",),
}

# Categories of capabilities that often go together in one company.
_AFFINITY: dict[str, tuple[str, ...]] = {
    "P.CAST": ("P.MACH", "P.MOULD", "P.SURF", "P.HEAT"),
    "P.MACH": ("P.SURF", "P.HEAT", "P.PROTO", "P.MOULD"),
    "P.PLAS": ("P.MOULD", "P.ASSY", "P.PROTO"),
    "P.SHEET": ("P.WELD", "P.SURF", "P.STAMP", "P.ASSY"),
    "P.STAMP": ("P.MOULD", "P.SHEET", "P.WELD", "P.SURF"),
    "P.WELD": ("P.SHEET", "P.SURF", "P.MACH"),
    "P.ELEC": ("P.ASSY", "P.PLAS"),
    "P.FORGE": ("P.HEAT", "P.MACH"),
    "P.HEAT": ("P.SURF", "P.MACH"),
    "P.SURF": ("P.HEAT",),
    "P.AM": ("P.PROTO", "P.MACH"),
    "P.MOULD": ("P.PLAS", "P.MACH"),
    "P.ASSY": ("P.ELEC", "P.SHEET"),
    "P.PROTO": ("P.AM", "P.MACH"),
    "P.COMP": ("P.MOULD",),
    "P.RUBBER": ("P.PLAS",),
    "P.FOOD": ("P.PACK",),
    "P.COSM": ("P.PACK",),
    "P.PACK": ("P.FOOD",),
    "P.PHARMA": ("P.PACK",),
    "S.MES": ("S.APS", "S.EQP", "S.DATA", "S.INTEG"),
    "S.EQP": ("S.MES", "S.DATA", "S.PLAT"),
    "S.RND": ("S.PROC", "S.TEST"),
    "S.PROC": ("S.RND", "S.MES"),
    "S.SEC": ("S.NET", "S.CLOUD"),
    "S.CLOUD": ("S.ONCLOUD", "S.SEC", "S.DATA"),
    "S.ONCLOUD": ("S.CLOUD", "S.PLAT"),
    "S.NET": ("S.SEC", "S.PLAT"),
    "S.PLAT": ("S.ONCLOUD", "S.APP", "S.DATA"),
    "S.DATA": ("S.PLAT", "S.CLOUD"),
    "S.SMART": ("S.MES", "S.INTEG"),
    "S.INTEG": ("S.MES", "S.OPM", "S.SMART"),
    "S.OPM": ("S.INTEG", "S.SCM"),
    "S.SCM": ("S.LOG", "S.OPM"),
    "S.LOG": ("S.SCM",),
    "S.TEST": ("S.CONSULT",),
    "S.CONSULT": ("S.TRAIN", "S.FIN"),
    "S.FIN": ("S.SCM",),
    "S.TRAIN": ("S.CONSULT",),
    "S.APS": ("S.MES",),
    "S.APP": ("S.PLAT", "S.INTEG"),
    "S.IDR": ("S.PLAT",),
    "S.CONS": ("S.SCM", "S.LOG"),
    "S.ECO": ("S.CONSULT",),
}
_CORE = {
    "P.MACH",
    "P.CAST",
    "P.PLAS",
    "P.SHEET",
    "P.STAMP",
    "P.WELD",
    "P.SURF",
    "P.ELEC",
    "P.MOULD",
    "P.HEAT",
    "P.FORGE",
    "P.ASSY",
    "S.MES",
    "S.EQP",
    "S.SMART",
    "S.RND",
    "S.TEST",
    "S.PLAT",
    "S.SEC",
    "S.DATA",
}
_PERIPHERAL = {
    "P.FOOD",
    "P.COSM",
    "P.TEXT",
    "P.PHARMA",
    "P.FURN",
    "P.CHEM",
    "P.PACK",
    "S.ECO",
    "S.FIN",
    "S.CONS",
    "S.TRAIN",
    "S.IDR",
}
_MUNICIPALITIES = {"110000", "120000", "310000", "500000"}


@dataclass(frozen=True, slots=True)
class Place:
    """How a city is written: '成都' / '重庆' (prefix of names), '四川省成都市' / '重庆市渝北区' (address)."""

    code: str
    prefix_zh: str
    address_zh: str
    name_en: str
    province_code: str
    province_zh: str
    groups: tuple[str, ...]


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex for many words, as a character trie, longest alternative first: far faster than a flat
    alternation of two thousand terms, and it still prefers the longest term at a position."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


class Catalog:
    """Reference data indexed for the generators: phrase banks per capability, weights, resolvers."""

    def __init__(self, ref: Reference) -> None:
        self.ref = ref
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._categories: dict[str, str] = {}
        self.material_label_cache: dict[tuple[str, tuple[str, ...]], tuple[list[str], list[str]]] = {}
        self.caps: dict[str, Capability] = {c.code: c for c in ref.capabilities}
        self.material_codes = frozenset(m.code for m in ref.materials)
        self.materials = {m.code: m for m in ref.materials}
        self.cert_codes = frozenset(c.code for c in ref.certifications)
        self.certs = {c.code: c for c in ref.certifications}
        self.industries = {i.code: i for i in ref.industries}
        self.regions = {r.code: r for r in ref.regions}
        self.mode_codes = tuple(m.code for m in ref.sharing_modes)
        self._build_term_index()
        self.banks: dict[str, Bank] = {code: self._bank(code) for code in self.caps}
        self.cap_materials = {code: self._resolve_materials(self.banks[code].materials) for code in self.caps}
        self.cap_industries = {
            code: self._resolve_industries(self.banks[code].industries) for code in self.caps
        }
        self.process_codes, self.process_weights = self._weights("PROCESS")
        self.service_codes, self.service_weights = self._weights("SERVICE")
        self._build_places()
        self.industry_labels = {code: self._industry_label(code) for code in self.industries}
        self.cert_label_cache: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def _industry_label(self, code: str) -> tuple[str, str]:
        """A short name of an industry that names no capability ('汽车制造', not '农副食品加工')."""
        ind = self.industries[code]
        zh_options = [ind.name_zh.removesuffix("业"), *[a for a in ind.aliases if _has_cjk(a)], ind.name_zh]
        en_options = [ind.name_en, *[a for a in ind.aliases if not _has_cjk(a)]]
        zh = next((z for z in zh_options if not self.mentioned_terms(z)), "制造")
        en = next((e for e in en_options if not self.mentioned_terms(e)), "manufacturing")
        return zh, en

    # ---- taxonomy helpers ---------------------------------------------------------------------
    def ancestors(self, code: str) -> tuple[str, ...]:
        found = self._ancestors.get(code)
        if found is None:
            out, parent = [], self.caps[code].parent
            while parent:
                out.append(parent)
                parent = self.caps[parent].parent
            found = self._ancestors[code] = tuple(out)
        return found

    def category(self, code: str) -> str:
        found = self._categories.get(code)
        if found is None:
            found = self._categories[code] = ".".join(code.split(".")[:2])
        return found

    def level(self, code: str) -> int:
        return code.count(".")

    # ---- ground-truth check ---------------------------------------------------------------------
    def _build_term_index(self) -> None:
        owners: dict[str, set[str]] = {}
        for cap in self.caps.values():
            for term in (cap.name_zh, cap.name_en, *cap.aliases):
                if len(term) >= 2:
                    owners.setdefault(term.casefold(), set()).add(cap.code)
        self.term_owners = owners
        self.ambiguous_terms = frozenset(t for t, c in owners.items() if len(c) > 1)
        terms = sorted(owners, key=lambda t: (-len(t), t))
        cjk = [t for t in terms if _has_cjk(t)]
        long_ascii = [t for t in terms if not _has_cjk(t) and len(t) > 3]
        short_ascii = sorted(
            {
                term
                for cap in self.caps.values()
                for term in (cap.name_en, *cap.aliases)
                if not _has_cjk(term) and 2 <= len(term) <= 3
            },
            key=lambda t: (-len(t), t),
        )
        edge = r"(?<![A-Za-z0-9])(?:{})(?![A-Za-z0-9])"
        self._cjk_re = re.compile(_trie_pattern(cjk)) if cjk else None
        self._ascii_re = (
            re.compile(edge.format(_trie_pattern(long_ascii)), re.IGNORECASE) if long_ascii else None
        )
        self._short_re = re.compile(edge.format(_trie_pattern(short_ascii))) if short_ascii else None

    def mentioned_terms(self, text: str) -> list[tuple[str, frozenset[str]]]:
        """Taxonomy terms found in ``text`` (longest match first) with the codes they name."""
        found: list[tuple[str, frozenset[str]]] = []
        for pattern in (self._cjk_re, self._ascii_re, self._short_re):
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                term = match.group(0)
                found.append((term, frozenset(self.term_owners.get(term.casefold(), ()))))
                # a longer term hides the shorter ones inside it ("Narrowband IoT" is not "IoT")
                text = text[: match.start()] + " " * len(term) + text[match.end() :]
        return found

    def foreign_terms(self, text: str, codes: Iterable[str]) -> list[str]:
        """Terms in ``text`` that name a capability other than ``codes`` or their ancestors."""
        allowed: set[str] = set()
        for code in codes:
            allowed.add(code)
            allowed.update(self.ancestors(code))
        return [term for term, owners in self.mentioned_terms(text) if owners and not owners & allowed]

    def _clean(self, phrases: Iterable[str], code: str) -> tuple[str, ...]:
        return _dedupe(
            p
            for p in phrases
            if p.casefold() not in self.ambiguous_terms
            and not self.foreign_terms(p.replace("{n}", "8"), [code])
        )

    # ---- phrase banks -----------------------------------------------------------------------------
    def _bank(self, code: str) -> Bank:
        cap = self.caps[code]
        hand = BANKS.get(code)
        cat = CATEGORY_DEFAULTS.get(self.category(code), Bank(zh=(), en=()))
        aliases = [a for a in cap.aliases]
        zh_aliases = [a for a in aliases if _has_cjk(a)]
        ascii_aliases = [a for a in aliases if not _has_cjk(a)]
        acronyms = [
            a
            for a in ascii_aliases
            if len(a) <= 6
            and a.replace("/", "").replace("-", "").isalnum()
            and not a.islower()
            and " " not in a
        ]
        en_words = [a for a in ascii_aliases if a not in acronyms]
        description = cap.description.rstrip("。.")
        auto_details = [description] if self.level(code) >= 2 and len(description) <= 60 else []
        zh = self._clean([*(hand.zh if hand else ()), cap.name_zh, *zh_aliases], code)
        en = self._clean([*(hand.en if hand else ()), cap.name_en, *en_words], code)
        short = self._clean(
            [*(hand.short_zh if hand else ()), *[a for a in zh_aliases if len(a) <= 4], *acronyms], code
        )
        detail_zh = self._clean([*(hand.detail_zh if hand else ()), *auto_details, *cat.detail_zh], code)
        detail_en = self._clean([*(hand.detail_en if hand else ()), *cat.detail_en], code)
        items_zh = self._clean([*(hand.items_zh if hand else ()), *cat.items_zh], code)
        items_en = self._clean([*(hand.items_en if hand else ()), *cat.items_en], code)
        return Bank(
            zh=zh or (cap.name_zh,),
            en=en or (cap.name_en,),
            short_zh=short or zh or (cap.name_zh,),
            detail_zh=detail_zh or ("质量稳定、交期准时",),
            detail_en=detail_en or ("reliable quality and delivery",),
            items_zh=items_zh or zh[1:4] or zh,
            items_en=items_en or en[1:3] or en,
            trade=(hand.trade if hand and hand.trade else ()) + cat.trade or (("科技", "Technology"),),
            units=(hand.units if hand and hand.units != ("PIECE",) else ()) or cat.units or ("PIECE",),
            materials=(hand.materials if hand and hand.materials else ())
            or MATERIAL_HINTS.get(code, cat.materials),
            industries=_dedupe([*(hand.industries if hand else ()), *cat.industries]),
        )

    def _resolve_materials(self, hints: Sequence[str]) -> tuple[str, ...]:
        out: list[str] = []
        for hint in hints:
            if hint in self.material_codes:
                out.append(hint)
                continue
            if hint in _MATERIAL_WORDS:
                out.extend(c for c in _MATERIAL_WORDS[hint] if c in self.material_codes)
                continue
            key = hint.casefold()
            for m in self.materials.values():
                if key in {a.casefold() for a in (*m.aliases, m.name_en)} or m.code.endswith(
                    "." + hint.upper()
                ):
                    out.append(m.code)
        # a family stands for itself and its grades
        expanded: list[str] = []
        for code in out:
            expanded.append(code)
            if self.materials[code].parent is None:
                expanded.extend(
                    m.code for m in self.materials.values() if m.parent == code and m.code not in _NOT_IMPLIED
                )
        return _dedupe(expanded)

    def _resolve_industries(self, hints: Sequence[str]) -> tuple[str, ...]:
        out: list[str] = []
        for hint in hints:
            if hint in self.industries:
                out.append(hint)
            else:
                out.extend(c for c in _INDUSTRY_WORDS.get(hint, ()) if c in self.industries)
        return _dedupe(out)

    def _weights(self, kind: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
        codes, weights = [], []
        for code, cap in self.caps.items():
            if cap.kind != kind:
                continue
            w = 3.0 if code in BANKS else 1.0
            if self.level(code) == 1:
                w = 0.3
            cat = self.category(code)
            w *= 1.5 if cat in _CORE else 0.6 if cat in _PERIPHERAL else 1.0
            codes.append(code)
            weights.append(w)
        return tuple(codes), tuple(weights)

    # ---- regions ----------------------------------------------------------------------------------
    def _build_places(self) -> None:
        self.places: dict[str, Place] = {}
        for region in self.regions.values():
            if region.level != "CITY":
                continue
            province = self.regions[region.parents[0]]
            prov_short = names.strip_admin_suffix(province.name_zh)
            if province.code in _MUNICIPALITIES:
                prefix, address, name_en = (
                    prov_short,
                    province.name_zh + region.name_zh,
                    f"{region.name_en}, {province.name_en}",
                )
            else:
                prefix = names.strip_admin_suffix(region.name_zh)
                address, name_en = province.name_zh + region.name_zh, region.name_en
            self.places[region.code] = Place(
                region.code, prefix, address, name_en, province.code, prov_short, tuple(region.parents[1:])
            )
        chengyu = [c for c, p in self.places.items() if "GRP.CHENGYU" in p.groups]
        self.chengyu_cities = tuple(chengyu)
        self.chengyu_weights = tuple(ent_phrases.CHENGYU_WEIGHTS.get(c, 1.0) for c in chengyu)
        others = [c for c, p in self.places.items() if "GRP.CHENGYU" not in p.groups]
        per_province: dict[str, int] = {}
        for c in others:
            per_province[self.places[c].province_code] = per_province.get(self.places[c].province_code, 0) + 1
        self.other_cities = tuple(others)
        self.other_weights = tuple(
            ent_phrases.PROVINCE_WEIGHTS.get(self.places[c].province_code, 1.0)
            / per_province[self.places[c].province_code]
            for c in others
        )

    def pick_city(self, rng: random.Random, chengyu_share: float) -> str:
        if self.chengyu_cities and rng.random() < chengyu_share:
            return rng.choices(self.chengyu_cities, self.chengyu_weights)[0]
        return rng.choices(self.other_cities, self.other_weights)[0]


@functools.cache
def _catalog_for(data_dir: str | None) -> Catalog:
    return Catalog(load_reference(data_dir))


def catalog(data_dir: str | Path | None = None) -> Catalog:
    """The catalog of the reference data in ``data_dir`` (default ``seed/data``), built once per process."""
    return _catalog_for(None if data_dir is None else str(Path(data_dir).resolve()))


# =============================================================================================
# Small random helpers
# =============================================================================================

T = TypeVar("T")


def _rng(seed: int, kind: str, index: int) -> random.Random:
    return random.Random(f"gongxu/{seed}/{kind}/{index}")


def _weighted(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


def _nice(value: float) -> int:
    """Round to two significant digits (1234 → 1200), at least 1."""
    if value < 1:
        return 1
    digits = math.floor(math.log10(value))
    step = 10 ** max(digits - 1, 0)
    return max(1, round(value / step) * step)


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _timestamp(rng: random.Random, start: date, end: date) -> str:
    day = _day(rng, start, end)
    moment = datetime(
        day.year, day.month, day.day, rng.randint(8, 20), rng.randint(0, 59), rng.randint(0, 59)
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%S+08:00")


def _zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _join_zh(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else "、".join(items[:-1]) + "和" + items[-1]


def _join_en(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _en_mid(text: str) -> str:
    """'Commercial printing' → 'commercial printing' inside a sentence; acronyms stay ('CNC machining')."""
    return text[:1].lower() + text[1:] if len(text) > 1 and text[0].isupper() and text[1].islower() else text


def _cap_first(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Slots(dict):
    """Template slots computed on first use, in template order (so output is deterministic)."""

    def __init__(self, factories: dict[str, Callable[[], str]]) -> None:
        super().__init__()
        self._factories = factories

    def __missing__(self, key: str) -> str:
        value = self._factories[key]()
        self[key] = value
        return value


_SLOT_RE = re.compile(r"{(\w+)}")


def _tidy(text: str) -> str:
    """Punctuation left over when optional slots are empty: '，。' → '。', a closing '，' → '。' …"""
    text = text.replace("服务服务", "服务").replace("，。", "。").replace("。。", "。").replace("，，", "，")
    text = re.sub(r"\s{2,}", " ", text).strip()
    if text.endswith("，"):
        text = text[:-1] + "。"
    return text


@functools.lru_cache(maxsize=4096)
def _slots_of(template: str) -> frozenset[str]:
    return frozenset(_SLOT_RE.findall(template))


def _render(rng: random.Random, templates: Sequence[str], factories: dict[str, Callable[[], str]]) -> str:
    usable = [t for t in templates if _slots_of(t) <= factories.keys()]
    return _tidy(rng.choice(usable).format_map(_Slots(factories)))


def _render_pair(
    rng: random.Random, pairs: Sequence[tuple[str, str]], factories: dict[str, Callable[[], str]]
) -> tuple[str, str]:
    usable = [p for p in pairs if _slots_of(p[0] + p[1]) <= factories.keys()]
    title, body = rng.choice(usable)
    slots = _Slots(factories)
    return _tidy(title.format_map(slots)), _tidy(body.format_map(slots))


def _distinct(rng: random.Random, pool: Sequence[str], taken: Callable[[], Iterable[str]]) -> str:
    used = set(taken())
    rest = [p for p in pool if p not in used]
    return rng.choice(rest or list(pool))


def _fill_n(rng: random.Random, phrase: str) -> str:
    if "{n}余" in phrase:  # "已服务{n}余家企业": a round, larger number
        return phrase.replace("{n}", str(rng.choice((20, 30, 50, 80, 100, 150, 200, 300, 500))))
    return phrase.replace("{n}", str(rng.choice((3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 50))))


def _style(rng: random.Random, weights: Sequence[tuple[str, float]]) -> str:
    return _weighted(rng, weights)


_STATEMENT_STYLES = (
    ("formal", 0.30),
    ("marketing", 0.15),
    ("informal", 0.20),
    ("terse", 0.13),
    ("english", 0.11),
    ("mixed", 0.11),
)
_NEED_STYLES = (("formal", 0.42), ("informal", 0.36), ("english", 0.11), ("mixed", 0.11))


def _cap_factories(rng: random.Random, bank: Bank, industry: tuple[str, str]) -> dict[str, Callable[[], str]]:
    """Slots describing one capability from its bank (see :mod:`seed.phrases.styles`)."""
    s: dict[str, Callable[[], str]] = {}
    slots: dict[str, str] = {}

    def memo(key: str, make: Callable[[], str]) -> Callable[[], str]:
        def get() -> str:
            if key not in slots:
                slots[key] = make()
            return slots[key]

        return get

    s["zh"] = memo("zh", lambda: rng.choice(bank.zh))
    s["zh2"] = memo("zh2", lambda: _distinct(rng, bank.zh, lambda: [s["zh"]()]))
    s["short"] = memo("short", lambda: rng.choice(bank.short_zh))
    s["detail"] = memo("detail", lambda: _fill_n(rng, rng.choice(bank.detail_zh)))
    s["detail2"] = memo(
        "detail2", lambda: _fill_n(rng, _distinct(rng, bank.detail_zh, lambda: [s["detail"]()]))
    )
    s["items"] = memo("items", lambda: _join_zh(_some(rng, bank.items_zh, s["zh"](), rng.randint(2, 3))))
    s["item"] = memo("item", lambda: rng.choice(bank.items_zh))
    s["item2"] = memo("item2", lambda: _distinct(rng, bank.items_zh, lambda: [s["item"]()]))
    s["en"] = memo("en", lambda: _en_mid(rng.choice(bank.en)))
    s["En"] = lambda: _cap_first(s["en"]())
    s["detail_en"] = memo("detail_en", lambda: _fill_n(rng, rng.choice(bank.detail_en)))
    s["Detail_en"] = lambda: _cap_first(s["detail_en"]())
    s["items_en"] = memo("items_en", lambda: _join_en(_some(rng, bank.items_en, s["en"](), 2)))
    s["item_en"] = memo("item_en", lambda: rng.choice(bank.items_en))
    s["industry"] = lambda: industry[0]
    s["industry_en"] = lambda: (
        industry[1].lower() if industry[1][:1].isupper() and " " in industry[1] else industry[1]
    )
    years = rng.randint(5, 25)
    s["years"] = lambda: str(years)
    s["year"] = lambda: str(TODAY.year - years)
    return s


def _about(cat: Catalog, codes: Sequence[str], make: Callable[[], T], text: Callable[[T], str] = str) -> T:
    """Render with ``make`` until the text names no capability beyond ``codes`` (and their ancestors).

    Phrases are chosen so that this nearly always holds at once; the retry catches the rare join of two
    harmless phrases into another capability's alias ('6063铝' + '型材')."""
    result = make()
    for _ in range(6):
        if not cat.foreign_terms(text(result), codes):
            break
        result = make()
    return result


def _some(rng: random.Random, pool: Sequence[str], besides: str, k: int) -> list[str]:
    """Up to ``k`` phrases of ``pool``, other than ``besides`` where possible."""
    rest = [p for p in pool if p.casefold() != besides.casefold()] or list(pool)
    return rng.sample(rest, min(len(rest), k))


def _short_name(name: str, place: Place) -> str:
    """'成都精工压铸有限公司' → '精工压铸'; '润泽（德阳）数字科技有限公司' → '润泽数字'."""
    if name[:1].isascii():
        return name
    short = re.sub(r"（.*?）", "", name)
    for prefix in (place.prefix_zh + "市", place.prefix_zh, place.province_zh):
        short = short.removeprefix(prefix)
    for suffix in ("股份有限公司", "有限责任公司", "有限公司", "厂"):
        short = short.removesuffix(suffix)
    return short[:4] or name


def _suffixed(factories: dict[str, Callable[[], str]], suffix: str) -> dict[str, Callable[[], str]]:
    return {f"{k}{suffix}": v for k, v in factories.items()}


# =============================================================================================
# Providers
# =============================================================================================


def provider_kind(seed: int, index: int) -> str:
    """5 of every 8 consecutive providers are manufacturers, in a seeded order within the block."""
    block, position = divmod(index - 1, 8)
    pattern = ["MANUFACTURER"] * 5 + ["SERVICE_PROVIDER"] * 3
    _rng(seed, "kind-block", block).shuffle(pattern)
    return pattern[position]


def _pick_codes(
    rng: random.Random, cat: Catalog, kind: str, count: int, boost: Callable[[str], float] | None = None
) -> list[str]:
    """A primary capability and up to ``count - 1`` related ones (same category, an affine one, or any)."""
    codes, weights = (
        (cat.process_codes, cat.process_weights)
        if kind == "PROCESS"
        else (cat.service_codes, cat.service_weights)
    )
    if boost is not None:
        weights = tuple(w * boost(c) for c, w in zip(codes, weights, strict=True))
    chosen = [rng.choices(codes, weights)[0]]
    for _ in range(20):
        if len(chosen) >= count:
            break
        roll = rng.random()
        home = cat.category(chosen[0])
        if roll < 0.6:
            pool_cats = {home}
        elif roll < 0.85 and _AFFINITY.get(home):
            pool_cats = set(_AFFINITY[home])
        else:
            pool_cats = None
        pool = [
            (c, w)
            for c, w in zip(codes, weights, strict=True)
            if (pool_cats is None or cat.category(c) in pool_cats)
            and c not in chosen
            and not any(c in cat.ancestors(x) or x in cat.ancestors(c) for x in chosen)
        ]
        if pool:
            chosen.append(_weighted(rng, pool))
    return chosen


def _company_name(
    rng: random.Random, cat: Catalog, place: Place, trade: tuple[str, str]
) -> tuple[str, str, str]:
    """(name, English name, a pinyin slug for web and mail)."""
    abbreviations = names.PROVINCE_ABBREVIATIONS.get(place.province_zh)
    if abbreviations and rng.random() < 0.3:
        head, head_py = rng.choice(abbreviations)
        tail, tail_py = rng.choice(names.BRAND_TAILS)
        brand, brand_py = head + tail, head_py + tail_py
    else:
        brand, brand_py = rng.choice(names.BRANDS)
    trade_zh, trade_en = trade
    suffix = _weighted(rng, names.COMPANY_SUFFIXES)
    if suffix == "厂" and len(trade_zh) > 2:
        suffix = "有限公司"
    form = rng.random()
    if form < 0.62:
        name = f"{place.prefix_zh}{brand}{trade_zh}{suffix}"
    elif form < 0.76:
        name = f"{brand}（{place.prefix_zh}）{trade_zh}{suffix}"
    elif form < 0.86 and place.prefix_zh != place.province_zh:
        name = f"{place.province_zh}{brand}{trade_zh}{suffix}"
    else:
        name = (
            f"{place.prefix_zh}市{brand}{trade_zh}{suffix}"
            if place.province_code not in _MUNICIPALITIES
            else f"{place.prefix_zh}{brand}{trade_zh}{suffix}"
        )
    city_en = place.name_en.split(",")[-1].strip()
    name_en = f"{city_en} {brand_py.title()} {trade_en} {rng.choice(names.EN_SUFFIXES)}"
    name_en = (
        name_en.replace("Technology Technology", "Technology").replace("Industrial Co., Ltd.", "Co., Ltd.")
        if name_en.count("Technology") > 1
        else name_en
    )
    if rng.random() < 0.07:  # registered or known under an English / pinyin name
        name = rng.choice(
            (name_en, f"{brand_py.title()} {trade_en}", f"{city_en} {brand_py.title()} {trade_en}")
        )
    return name, name_en, brand_py


def _person(rng: random.Random) -> tuple[str, str]:
    surname, surname_py = rng.choice(names.SURNAMES)
    given, given_py = rng.choice(names.GIVEN_NAME_CHARS)
    return surname + given, surname_py + given_py


def _contacts(rng: random.Random, place: Place, domain: str | None) -> tuple[str, str, str]:
    person, person_py = _person(rng)
    surname = person[0]
    display = rng.choices([person, f"{surname}经理", f"{surname}工", f"{surname}总"], [0.7, 0.12, 0.1, 0.08])[
        0
    ]
    city_key = place.prefix_zh
    if rng.random() < 0.35 and city_key in names.AREA_CODES:
        area = names.AREA_CODES[city_key]
        digits = 8 if len(area) == 3 else rng.choice((7, 8))
        phone = f"{area}-{rng.randint(2, 8)}{rng.randint(0, 10 ** (digits - 1) - 1):0{digits - 1}d}"
    else:
        phone = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
    roll = rng.random()
    if domain and roll < 0.6:
        email = f"{rng.choice(('sales', 'info', 'service', 'bd', person_py))}@{domain}"
    elif roll < 0.8:
        email = f"{rng.randint(10_000_000, 3_999_999_999)}@qq.com"
    else:
        email = f"{person_py}{rng.randint(1, 999)}@{rng.choice(names.EMAIL_PROVIDERS)}"
    return display, phone, email


def _certifications(
    rng: random.Random, cat: Catalog, codes: Sequence[str], kind: str
) -> list[HeldCertification]:
    rules: dict[str, float] = {}
    for key in ("P.*" if kind == "MANUFACTURER" else "S.*", *dict.fromkeys(cat.category(c) for c in codes)):
        for cert, p in ent_phrases.CERT_RULES.get(key, ()):
            rules[cert] = max(rules.get(cert, 0.0), p)
    held = []
    for cert, p in rules.items():
        if cert not in cat.cert_codes or rng.random() >= p:
            continue
        status = _weighted(rng, (("ACTIVE", 0.82), ("IN_PROGRESS", 0.10), ("EXPIRED", 0.08)))
        if status == "ACTIVE":
            until: str | None = _day(rng, date(2027, 1, 15), date(2029, 12, 31)).isoformat()
        elif status == "EXPIRED":
            until = _day(rng, date(2024, 6, 1), TODAY - timedelta(days=3)).isoformat()
        else:
            until = None
        held.append(HeldCertification(cert, status, until))
    return sorted(held, key=lambda h: h.code)


_LATIN_HEAD = re.compile(r"^[A-Za-z][A-Za-z0-9/ .:+-]*[A-Za-z0-9]")


# English for certificates whose names are Chinese only.
_CERT_EN = {
    "CERT.MDL": "medical device manufacturing licence",
    "CERT.MLPS_ORG": "MLPS assessment-body accreditation",
    "CERT.CS": "CS system-integration qualification",
    "CERT.LHRH": "GB/T 23001",
    "CERT.HNTE": "High-Tech Enterprise",
    "CERT.SRDI": "Specialised and Innovative SME",
    "CERT.SRDI_GIANT": "Little Giant",
    "CERT.SAFETY_STD": "work-safety standardisation",
}


def _cert_labels(cat: Catalog, code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(Latin, Chinese) ways to write a certificate that name no capability ('ISO 9001', '质量体系认证' …)."""
    cert = cat.certs[code]
    head = _LATIN_HEAD.match(cert.name)
    latin = ([head.group(0).strip()] if head else []) + [
        a for a in cert.aliases if not _has_cjk(a) and len(a) >= 2 and not a.isdigit()
    ]
    zh = [cert.name, *[a.removesuffix("认证") for a in cert.aliases if _has_cjk(a)]]
    latin = [x for x in _dedupe(latin) if not cat.mentioned_terms(x)] or [_CERT_EN.get(code, code[5:])]
    zh = [x for x in _dedupe(zh) if not cat.mentioned_terms(x)] or latin
    return tuple(latin[:5]), tuple(zh[:4])


def _cert_label(rng: random.Random, cat: Catalog, code: str, english: bool = False) -> str:
    """How people write a certificate: 'ISO 9001', 'IATF16949', '高新技术企业' … (Latin if ``english``)."""
    if code not in cat.cert_label_cache:
        cat.cert_label_cache[code] = _cert_labels(cat, code)
    latin, zh = cat.cert_label_cache[code]
    if english or (_LATIN_HEAD.match(cat.certs[code].name) and rng.random() < 0.85):
        return rng.choice(latin)
    return rng.choice(zh)


def _industry_label(cat: Catalog, codes: Sequence[str]) -> tuple[str, str]:
    for code in codes:
        if code in cat.industry_labels:
            return cat.industry_labels[code]
    return "制造", "manufacturing"


def build_provider_bundle(cat: Catalog, seed: int, index: int) -> ProviderBundle:
    """Provider ``index`` (1-based) with its capability statements and, for manufacturers, capacity offers."""
    rng = _rng(seed, "provider", index)
    pid = f"prv_{index:06d}"
    kind = provider_kind(seed, index)
    cap_kind = "PROCESS" if kind == "MANUFACTURER" else "SERVICE"
    n_caps = rng.choices(
        (1, 2, 3, 4), (0.35, 0.35, 0.2, 0.1) if kind == "SERVICE_PROVIDER" else (0.4, 0.4, 0.2, 0.0)
    )[0]
    codes = _pick_codes(rng, cat, cap_kind, n_caps)
    banks = [cat.banks[c] for c in codes]
    city = cat.pick_city(rng, 0.40)
    place = cat.places[city]

    industries = _dedupe(i for c in codes for i in cat.cap_industries[c])
    industry_codes = (
        sorted(rng.sample(industries, min(len(industries), rng.randint(1, 3)))) if industries else []
    )
    modes = _modes(rng, cat, kind)
    certs = _certifications(rng, cat, codes, kind)

    name, name_en, slug = _company_name(rng, cat, place, rng.choice(banks[0].trade))
    domain = None
    website = None
    if rng.random() < 0.6:
        tail = rng.choice(("", "tech", "jx", "mfg", "group", "cn"))
        domain = f"{slug}{tail}.{rng.choice(('com', 'cn', 'com.cn'))}"
        website = f"https://www.{domain}"
    contact_name, phone, email = _contacts(rng, place, domain)
    rating = round(min(5.0, max(3.0, rng.gauss(4.2, 0.45))), 1)
    created_at = _timestamp(rng, date(2019, 3, 1), date(2026, 10, 31))
    style = _style(rng, _STATEMENT_STYLES)
    description = _provider_description(
        rng, cat, style, kind, name, name_en, place, banks, industry_codes, certs
    )
    provider = Provider(
        id=pid,
        kind=kind,
        name=name,
        name_en=name_en,
        credit_code=credit_code.generate(rng, city),
        description=description,
        language=styles.LANGUAGE_OF_STYLE[style],
        style=style,
        region_code=city,
        industry_codes=industry_codes,
        sharing_mode_codes=modes,
        certifications=certs,
        rating=rating,
        website=website,
        contact_name=contact_name,
        contact_phone=phone,
        contact_email=email,
        created_at=created_at,
    )
    industry = _industry_label(cat, industry_codes)
    statements = _statements(rng, cat, pid, kind, codes, industry)
    offers = _offers(rng, cat, pid, codes) if kind == "MANUFACTURER" else []
    return ProviderBundle(provider, statements, offers)


def _modes(rng: random.Random, cat: Catalog, kind: str) -> list[str]:
    probs = (
        {"MODE.COLLAB": 0.5, "MODE.BROKER": 0.3, "MODE.SERVICE": 0.3, "MODE.CROWD": 0.1}
        if kind == "MANUFACTURER"
        else {"MODE.SERVICE": 0.7, "MODE.BROKER": 0.3, "MODE.CROWD": 0.2, "MODE.COLLAB": 0.2}
    )
    chosen = [m for m in cat.mode_codes if rng.random() < probs.get(m, 0.2)]
    if not chosen and cat.mode_codes:
        chosen = [max(cat.mode_codes, key=lambda m: probs.get(m, 0.0))]
    return chosen


def _provider_description(
    rng: random.Random,
    cat: Catalog,
    style: str,
    kind: str,
    name: str,
    name_en: str,
    place: Place,
    banks: Sequence[Bank],
    industry_codes: Sequence[str],
    certs: Sequence[HeldCertification],
) -> str:
    active = [c.code for c in certs if c.status == "ACTIVE"]
    pending = [c.code for c in certs if c.status == "IN_PROGRESS"]
    zh_names = _dedupe(rng.choice(b.zh) for b in banks)
    en_names = _dedupe(_en_mid(rng.choice(b.en)) for b in banks)
    ind_zh = [_industry_label(cat, [c])[0] for c in industry_codes] or ["制造"]
    ind_en = [_industry_label(cat, [c])[1].lower() for c in industry_codes] or ["manufacturing"]

    def certs_clause() -> str:
        parts = []
        if active:
            labels = _dedupe(_cert_label(rng, cat, c).removesuffix("认证") for c in active[:3])
            parts.append(f"已通过{'、'.join(labels)}认证。")
        if pending and rng.random() < 0.6:
            parts.append(f"{_cert_label(rng, cat, pending[0]).removesuffix('认证')}认证正在办理中。")
        return "".join(parts)

    def certs_en() -> str:
        out = ""
        if active:
            out += f"Certified to {', '.join(_dedupe(_cert_label(rng, cat, c, True) for c in active[:3]))}. "
        if pending and rng.random() < 0.6:
            out += f"{_cert_label(rng, cat, pending[0], True)} certification in progress."
        return out.strip()

    manufacturer = kind == "MANUFACTURER"
    years = rng.randint(3, 28)
    f: dict[str, Callable[[], str]] = {
        "name": lambda: name,
        "name_en": lambda: name_en,
        "city": lambda: place.address_zh,
        "city_en": lambda: place.name_en,
        "year": lambda: str(TODAY.year - years),
        "years": lambda: str(years),
        "capital": lambda: str(_nice(_log_uniform(rng, 50, 20000))),
        "staff": lambda: str(_nice(_log_uniform(rng, 8, 1500))),
        "area": lambda: str(_nice(_log_uniform(rng, 300, 80000))),
        "zh_list": lambda: _join_zh(zh_names),
        "zh_short": lambda: zh_names[0],
        "en_list": lambda: _join_en(en_names),
        "en_first": lambda: en_names[0],
        "industries": lambda: "、".join(ind_zh[:2]),
        "industries_en": lambda: _join_en(ind_en[:2]),
        "kind_zh": lambda: "制造企业" if manufacturer else rng.choice(("科技型企业", "专业服务商")),
        "kind_short": lambda: rng.choice(("加工厂", "厂家")) if manufacturer else "服务商",
        "kind_en": lambda: "manufacturer" if manufacturer else "service provider",
        "certs_clause": certs_clause,
        "certs_en": certs_en,
    }
    return _render(rng, styles.PROVIDER_DESCRIPTION[style], f).strip()


def _statements(
    rng: random.Random, cat: Catalog, pid: str, kind: str, codes: Sequence[str], industry: tuple[str, str]
) -> list[CapabilityStatement]:
    n = rng.randint(1, 4) if kind == "SERVICE_PROVIDER" else rng.randint(1, 3)
    out = []
    for k in range(n):
        style = _style(rng, _STATEMENT_STYLES)
        if len(codes) >= 2 and rng.random() < 0.18:
            a, b = rng.sample(list(codes), 2)
            fa = _cap_factories(rng, cat.banks[a], industry)
            fb = _cap_factories(rng, cat.banks[b], industry)
            fb["detail"] = lambda fa=fa, fb=fb, bank=cat.banks[b]: _fill_n(
                rng, _distinct(rng, bank.detail_zh, lambda: [fa["detail"]()])
            )
            fb["detail_en"] = lambda fa=fa, bank=cat.banks[b]: _fill_n(
                rng, _distinct(rng, bank.detail_en, lambda: [fa["detail_en"]()])
            )
            f = {**_suffixed(fa, "_a"), **_suffixed(fb, "_b")}
            truth = sorted((a, b))
            text = _about(cat, truth, lambda f=f, style=style: _render(rng, styles.STATEMENT_PAIR[style], f))
        else:
            code = codes[k % len(codes)] if k < len(codes) else rng.choice(list(codes))
            truth = [code]
            templates = (
                styles.STATEMENT_SERVICE.get(style, styles.STATEMENT[style])
                if kind == "SERVICE_PROVIDER"
                else styles.STATEMENT[style]
            )
            text = _about(
                cat,
                truth,
                lambda code=code, templates=templates: _render(
                    rng, templates, _cap_factories(rng, cat.banks[code], industry)
                ),
            )
        out.append(
            CapabilityStatement(
                f"cst_{pid[4:]}_{k + 1}", pid, text, styles.LANGUAGE_OF_STYLE[style], style, truth
            )
        )
    return out


def _material_names(
    rng: random.Random, cat: Catalog, code: str | None, about: Sequence[str] = ()
) -> tuple[str, str]:
    """A Chinese and an English way to write a material, naming no capability outside ``about``."""
    if code is None:
        return "", ""
    key = (code, tuple(about))
    if key not in cat.material_label_cache:
        m = cat.materials[code]
        zh_options = [m.name_zh, *[a for a in m.aliases if _has_cjk(a) or a.isupper()]]
        en_options = [m.name_en, *[a for a in m.aliases if not _has_cjk(a)]]
        cat.material_label_cache[key] = (
            [z for z in zh_options if not cat.foreign_terms(z, about)] or [m.code.rsplit(".", 1)[-1]],
            [e for e in en_options if not cat.foreign_terms(e, about)] or [m.code.rsplit(".", 1)[-1]],
        )
    zh_clean, en_clean = cat.material_label_cache[key]
    return rng.choice(zh_clean), rng.choice(en_clean)


def _volume(rng: random.Random, unit: str, scale: float = 1.0) -> int:
    low, high = {
        "PIECE": (500, 200_000),
        "SET": (5, 500),
        "KG": (500, 50_000),
        "TONNE": (5, 2_000),
        "METRE": (1_000, 100_000),
        "SQUARE_METRE": (500, 50_000),
        "HOUR": (100, 3_000),
    }[unit]
    return _nice(_log_uniform(rng, low * scale, high * scale))


def _window(rng: random.Random) -> tuple[date, date]:
    scenario = _weighted(rng, (("closing", 0.15), ("current", 0.45), ("later", 0.25), ("long", 0.15)))
    if scenario == "closing":
        start = _day(rng, date(2026, 9, 15), date(2026, 11, 15))
        end = _day(rng, date(2026, 11, 28), date(2026, 12, 20))
    elif scenario == "current":
        start = _day(rng, date(2026, 10, 1), date(2026, 12, 15))
        end = min(start + timedelta(days=rng.randint(60, 360)), date(2027, 12, 31))
    elif scenario == "later":
        start = _day(rng, date(2027, 2, 1), date(2027, 9, 30))
        end = min(start + timedelta(days=rng.randint(30, 240)), date(2027, 12, 31))
    else:
        start = _day(rng, date(2026, 10, 1), date(2026, 11, 30))
        end = _day(rng, date(2027, 10, 1), date(2027, 12, 31))
    return start, end


def _offers(rng: random.Random, cat: Catalog, pid: str, codes: Sequence[str]) -> list[CapacityOffer]:
    out = []
    for k in range(rng.randint(1, 3)):
        code = codes[k % len(codes)]
        bank = cat.banks[code]
        materials = cat.cap_materials[code]
        material = rng.choice(materials) if materials else None
        unit = rng.choice(bank.units) if rng.random() < 0.3 else bank.units[0]
        volume = _volume(rng, unit)
        start, end = _window(rng)
        moq = _nice(volume * rng.uniform(0.005, 0.1))
        booked = 0 if rng.random() < 0.75 else _nice(volume * rng.uniform(0.1, 0.8))
        language = _weighted(rng, (("zh", 0.8), ("en", 0.1), ("mixed", 0.1)))
        lead = rng.choice((3, 5, 7, 10, 12, 15, 20, 25, 30, 45))
        mat_zh, mat_en = _material_names(rng, cat, material, [code])

        def fresh(bank: Bank = bank) -> dict[str, Callable[[], str]]:
            return _cap_factories(rng, bank, ("制造", "manufacturing"))

        f: dict[str, Callable[[], str]] = {}
        f.update(
            {
                "volume": lambda v=volume, zh=language == "zh": str(v) if zh or v < 10_000 else f"{v:,}",
                "unit_zh": lambda u=unit: UNIT_ZH[u],
                "unit_en": lambda u=unit: UNIT_EN[u],
                "unit_hint": lambda u=unit: f"按{UNIT_ZH[u]}计价",
                "from_zh": lambda s=start: f"{s.year}年{s.month}月",
                "to_zh": lambda e=end: f"{e.year}年{e.month}月",
                "from_iso": lambda s=start: s.isoformat(),
                "to_iso": lambda e=end: e.isoformat(),
                "lead": lambda d=lead: str(d),
                "moq": lambda m=moq: str(m),
            }
        )
        if material is not None:
            f["material"] = lambda z=mat_zh: z
            f["material_en"] = lambda e=mat_en: e
        process_text = _about(
            cat,
            [code],
            lambda f=f, lang=language: _render(rng, styles.OFFER_PROCESS_TEXT[lang], {**fresh(), **f}),
        )
        description = _about(
            cat,
            [code],
            lambda f=f, lang=language: _render(rng, styles.OFFER_DESCRIPTION[lang], {**fresh(), **f}),
        )
        out.append(
            CapacityOffer(
                id=f"off_{pid[4:]}_{k + 1}",
                provider_id=pid,
                capability_code=code,
                process_text=process_text,
                description=description,
                language=language,
                material_code=material,
                monthly_volume=volume,
                unit=unit,
                available_from=start.isoformat(),
                available_to=end.isoformat(),
                lead_time_days=lead,
                moq=moq,
                booked_volume=min(booked, volume),
                status="WITHDRAWN" if rng.random() < 0.05 else "PUBLISHED",
            )
        )
    return out


# =============================================================================================
# Enterprises and needs
# =============================================================================================


def _enterprise_profile(rng: random.Random, cat: Catalog) -> tuple[str, ent_phrases.IndustryProfile]:
    options = [(code, p) for code, p in ent_phrases.INDUSTRY_PROFILES.items() if code in cat.industries]
    code = rng.choices([c for c, _ in options], [p.weight for _, p in options])[0]
    return code, ent_phrases.INDUSTRY_PROFILES[code]


def build_enterprise(cat: Catalog, seed: int, index: int) -> Enterprise:
    """Enterprise ``index`` (1-based): an SME manufacturer that posts needs."""
    rng = _rng(seed, "enterprise", index)
    industry, profile = _enterprise_profile(rng, cat)
    city = cat.pick_city(rng, 0.45)
    place = cat.places[city]
    name, name_en, slug = _company_name(rng, cat, place, rng.choice(profile.trade))
    pillars = [p for p in profile.pillars if p in cat.industries]
    industry_codes = [industry] + ([rng.choice(pillars)] if pillars and rng.random() < 0.6 else [])
    domain = f"{slug}.{rng.choice(('com', 'cn', 'com.cn'))}" if rng.random() < 0.5 else None
    contact_name, phone, email = _contacts(rng, place, domain)
    style = _weighted(rng, (("formal", 0.45), ("informal", 0.25), ("english", 0.15), ("mixed", 0.15)))
    years = rng.randint(3, 30)
    ind_zh, ind_en = _industry_label(cat, [industry])
    f: dict[str, Callable[[], str]] = {
        "name": lambda: name,
        "name_en": lambda: name_en,
        "city": lambda: place.address_zh,
        "city_en": lambda: place.name_en,
        "year": lambda: str(TODAY.year - years),
        "industry": lambda: ind_zh,
        "industry_en": lambda: ind_en.lower(),
        "products": lambda: _join_zh(rng.sample(profile.products_zh, 2)),
        "products_en": lambda: _join_en(rng.sample(profile.products_en, 2)),
        "customers": lambda: rng.choice(profile.customers_zh),
        "customers_en": lambda: rng.choice(profile.customers_en),
        "staff": lambda: str(_nice(_log_uniform(rng, 20, 800))),
        "revenue": lambda: str(_nice(_log_uniform(rng, 800, 60000))),
    }
    description = _render(rng, styles.ENTERPRISE_DESCRIPTION[style], f)
    return Enterprise(
        id=f"ent_{index:06d}",
        name=name,
        name_en=name_en,
        credit_code=credit_code.generate(rng, city),
        description=description,
        language=styles.LANGUAGE_OF_STYLE[style],
        style=style,
        region_code=city,
        industry_codes=industry_codes,
        contact_name=contact_name,
        contact_phone=phone,
        contact_email=email,
        created_at=_timestamp(rng, date(2023, 1, 1), date(2026, 8, 31)),
    )


def build_need(cat: Catalog, seed: int, index: int, n_enterprises: int) -> Need:
    """Need ``index`` (1-based), posted by one of enterprises 1…``n_enterprises``."""
    rng = _rng(seed, "need", index)
    ent_index = rng.randint(1, n_enterprises)
    enterprise = build_enterprise(cat, seed, ent_index)
    industry = enterprise.industry_codes[0]
    profile = ent_phrases.INDUSTRY_PROFILES.get(industry)
    kind = "CAPACITY" if rng.random() < 0.55 else "SERVICE"
    cap_kind = "PROCESS" if kind == "CAPACITY" else "SERVICE"
    boost = lambda c: 5.0 if industry in cat.cap_industries[c] else 1.0  # noqa: E731
    codes = _pick_codes(rng, cat, cap_kind, 2 if rng.random() < 0.15 else 1, boost)
    primary = codes[0]
    bank = cat.banks[primary]

    # structured fields
    materials = cat.cap_materials[primary]
    material = rng.choice(materials) if kind == "CAPACITY" and materials and rng.random() < 0.85 else None
    if kind == "CAPACITY":
        unit = rng.choice(bank.units) if rng.random() < 0.25 else bank.units[0]
        quantity: int | None = _volume(rng, unit, 0.3)
    else:
        unit = bank.units[0] if rng.random() < 0.7 else rng.choice(bank.units)
        quantity = 1 if unit == "SET" else _nice(_log_uniform(rng, 20, 2000))
        if rng.random() < 0.15:
            quantity, unit = None, None
    created = _day(rng, date(2026, 9, 1), TODAY - timedelta(days=1))
    deadline = _day(rng, date(2026, 12, 1), date(2027, 6, 30))
    budget_min, budget_max = _budget(rng, kind, quantity, unit)
    certs = _need_certs(rng, cat, kind, primary, profile)
    region = _need_region(rng, cat, enterprise.region_code)
    declared = _declared(rng, cat, codes)

    style = _style(rng, _NEED_STYLES)
    language = styles.LANGUAGE_OF_STYLE[style]
    ind_zh, ind_en = _industry_label(cat, [industry])
    industry_label = (ind_zh, ind_en.lower())
    f: dict[str, Callable[[], str]] = {}  # the need's own slots; the capability's are drawn per attempt
    mat_zh, mat_en = _material_names(rng, cat, material, codes)
    place = cat.places[enterprise.region_code]
    region_zh, region_en = _region_names(cat, region)
    cert_labels = [_cert_label(rng, cat, c, english=language == "en") for c in certs]
    cert_labels_en = [_cert_label(rng, cat, c, english=True) for c in certs]
    f.update(
        {
            "company_short": lambda: _short_name(enterprise.name, place),
            "year": lambda: str(deadline.year),
            "deadline_zh": lambda: _zh_date(deadline),
            "deadline_iso": lambda: deadline.isoformat(),
            "deadline_informal": lambda: rng.choice(
                (
                    f"{deadline.month}月底前要货",
                    f"{deadline.month}月{deadline.day}号之前要",
                    "越快越好",
                    "时间比较急",
                    f"最晚{deadline.month}月中旬",
                )
            ),
            "reply_zh": lambda: _zh_date(min(created + timedelta(days=rng.randint(7, 20)), deadline)),
            "budget_zh": lambda: _budget_zh(budget_min, budget_max),
            "budget_en": lambda: _budget_en(budget_min, budget_max),
            "cert_zh": lambda: (
                rng.choice(ent_phrases.CERT_ZH).format(cert="、".join(cert_labels)) if certs else ""
            ),
            "cert_informal": lambda: (
                rng.choice(ent_phrases.CERT_INFORMAL).format(cert="和".join(cert_labels)) if certs else ""
            ),
            "cert_en": lambda: (
                rng.choice(ent_phrases.CERT_EN).format(cert=" and ".join(cert_labels_en)) if certs else ""
            ),
            "cert_title": lambda: f"{cert_labels_en[0]} certified " if certs else "",
            "region_zh": lambda: rng.choice(ent_phrases.REGION_ZH).format(name=region_zh) if region else "",
            "region_informal": lambda: (
                rng.choice(ent_phrases.REGION_INFORMAL).format(name=region_zh)
                if region
                else rng.choice(("地区不限，", "", "外地也可以，"))
            ),
            "region_en": lambda: rng.choice(ent_phrases.REGION_EN).format(name=region_en) if region else "",
        }
    )
    if quantity is not None and unit is not None:
        f["qty"] = lambda: str(quantity)
        f["unit_zh"] = lambda: UNIT_ZH[unit]
        f["unit_en"] = lambda: UNIT_EN[unit]
    if material is not None:
        f["material"] = lambda: mat_zh
        f["material_en"] = lambda: mat_en
    templates = styles.CAPACITY_NEED if kind == "CAPACITY" else styles.SERVICE_NEED
    title, description = _about(
        cat,
        codes,
        lambda: _render_pair(rng, templates[style], {**_cap_factories(rng, bank, industry_label), **f}),
        lambda pair: pair[0] + " " + pair[1],
    )
    if len(codes) > 1:
        extra = cat.banks[codes[1]]
        description += (
            f" Also requires {rng.choice(extra.en)}." if language == "en" else f"另需{rng.choice(extra.zh)}。"
        )
    description = _tidy(description)
    updated = created + timedelta(days=rng.randint(0, (TODAY - created).days))
    return Need(
        id=f"ned_{index:06d}",
        enterprise_id=enterprise.id,
        kind=kind,
        title=title.strip(),
        description=description,
        language=language,
        style=style,
        capability_codes=sorted(codes),
        declared_capability_codes=declared,
        material_code=material,
        quantity=quantity,
        unit=unit,
        deadline=deadline.isoformat(),
        required_certification_codes=certs,
        region_code=region,
        budget_min=budget_min,
        budget_max=budget_max,
        status="CLOSED" if rng.random() < 0.1 else "OPEN",
        created_at=_timestamp(rng, created, created),
        updated_at=_timestamp(rng, updated, updated),
    )


def _declared(rng: random.Random, cat: Catalog, codes: Sequence[str]) -> list[str]:
    if rng.random() < 0.5:
        return []
    if rng.random() < 0.15 and cat.caps[codes[0]].parent:
        return [cat.caps[codes[0]].parent or codes[0]]
    return sorted(codes)


def _budget(
    rng: random.Random, kind: str, quantity: int | None, unit: str | None
) -> tuple[int | None, int | None]:
    roll = rng.random()
    if roll < 0.15:
        return None, None
    if kind == "CAPACITY" and quantity is not None and unit is not None:
        low, high = {
            "PIECE": (2, 300),
            "SET": (500, 50_000),
            "KG": (10, 200),
            "TONNE": (3_000, 40_000),
            "METRE": (5, 200),
            "SQUARE_METRE": (20, 300),
            "HOUR": (80, 400),
        }[unit]
        top = _nice(quantity * _log_uniform(rng, low, high))
    else:
        top = _nice(_log_uniform(rng, 30_000, 2_000_000))
    if roll < 0.3:
        return None, top
    return _nice(top * rng.uniform(0.5, 0.9)), top


def _budget_zh(low: int | None, high: int | None) -> str:
    def wan(v: int) -> str:
        return f"{v / 10_000:g}万元" if v >= 10_000 else f"{v}元"

    if high is None:
        return "面议"
    return f"{wan(high)}以内" if low is None else f"{wan(low)}至{wan(high)}"


def _budget_en(low: int | None, high: int | None) -> str:
    if high is None:
        return "negotiable"
    return f"up to CNY {high:,}" if low is None else f"CNY {low:,}–{high:,}"


# What a manufacturer's customers ask of its suppliers; a food company's HACCP is not asked of its platers.
_SUPPLIER_QUALITY_CERTS = frozenset(
    {
        "CERT.ISO9001",
        "CERT.IATF16949",
        "CERT.ISO13485",
        "CERT.AS9100",
        "CERT.GJB9001",
        "CERT.ISO14001",
        "CERT.ROHS",
        "CERT.REACH",
        "CERT.NADCAP",
        "CERT.IATF_VDA",
        "CERT.UL",
    }
)


def _need_certs(
    rng: random.Random, cat: Catalog, kind: str, code: str, profile: ent_phrases.IndustryProfile | None
) -> list[str]:
    if rng.random() >= (0.4 if kind == "CAPACITY" else 0.3):
        return []
    pool = list(ent_phrases.NEED_CERTS.get(cat.category(code), ()))
    if kind == "CAPACITY" and profile is not None:
        pool += [c for c in profile.certs if c in _SUPPLIER_QUALITY_CERTS]
    pool = [c for c in _dedupe(pool or ["CERT.ISO9001"]) if c in cat.cert_codes]
    if not pool:
        return []
    return sorted(rng.sample(pool, 1 if rng.random() < 0.8 or len(pool) == 1 else 2))


def _need_region(rng: random.Random, cat: Catalog, city: str) -> str | None:
    place = cat.places[city]
    roll = rng.random()
    if roll < 0.35:
        return None
    if roll < 0.6:
        return city
    if roll < 0.8:
        return place.province_code
    groups = [g for g in place.groups if g == "GRP.CHENGYU"] or list(place.groups)
    return groups[0] if groups else place.province_code


def _region_names(cat: Catalog, code: str | None) -> tuple[str, str]:
    if code is None:
        return "", ""
    if code in cat.places:
        return cat.places[code].address_zh, cat.places[code].name_en
    region = cat.regions[code]
    return region.name_zh, region.name_en


# =============================================================================================
# The sample: generate, write, read
# =============================================================================================


def generate_sample(
    seed: int = SEED,
    providers: int = DEFAULT_COUNTS["providers"],
    enterprises: int = DEFAULT_COUNTS["enterprises"],
    needs: int = DEFAULT_COUNTS["needs"],
    cat: Catalog | None = None,
) -> SampleData:
    cat = cat or catalog()
    bundles = [build_provider_bundle(cat, seed, i) for i in range(1, providers + 1)]
    return SampleData(
        providers=[b.provider for b in bundles],
        capability_statements=[s for b in bundles for s in b.statements],
        capacity_offers=[o for b in bundles for o in b.offers],
        enterprises=[build_enterprise(cat, seed, i) for i in range(1, enterprises + 1)],
        needs=[build_need(cat, seed, i, enterprises) for i in range(1, needs + 1)],
    )


def to_json_line(record: Any) -> str:
    return json.dumps(asdict(record), ensure_ascii=False)


def write_sample(directory: str | Path, data: SampleData) -> dict[str, int]:
    """Write the five JSON Lines files (sorted by id, one record per line); returns bytes per file."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for attr, file_name in FILE_NAMES.items():
        records = sorted(getattr(data, attr), key=lambda r: r.id)
        text = "".join(to_json_line(r) + "\n" for r in records)
        (out / file_name).write_text(text, encoding="utf-8", newline="\n")
        sizes[file_name] = len(text.encode())
    return sizes


# ---- reading with validation ----------------------------------------------------------------------

R = TypeVar("R")


class _Bad(Exception):
    pass


def _need_type(value: Any, types: type | tuple[type, ...], key: str, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        raise _Bad(f"{key!r} must be {types}, got {value!r}")
    if not isinstance(value, types):
        raise _Bad(f"{key!r} has the wrong type: {value!r}")
    return value


def _parse_record(raw: Any, record_type: type[R]) -> R:
    if not isinstance(raw, dict):
        raise _Bad(f"expected a JSON object, got {type(raw).__name__}")
    names_ = [f.name for f in fields(record_type)]  # type: ignore[arg-type]
    missing = [k for k in names_ if k not in raw]
    if missing:
        raise _Bad(f"missing key {missing[0]!r}")
    extra = [k for k in raw if k not in names_]
    if extra:
        raise _Bad(f"unexpected key {extra[0]!r}")
    values = dict(raw)
    if record_type is Provider:
        certs = _need_type(raw["certifications"], list, "certifications")
        parsed = []
        for c in certs:
            if not isinstance(c, dict) or set(c) != {"code", "status", "valid_until"}:
                raise _Bad(f"bad certification entry {c!r}")
            parsed.append(HeldCertification(c["code"], c["status"], c["valid_until"]))
        values["certifications"] = parsed
    return record_type(**values)


def _iso_date(value: Any, key: str) -> date:
    try:
        return date.fromisoformat(_need_type(value, str, key))
    except ValueError:
        raise _Bad(f"{key!r} is not an ISO date: {value!r}") from None


def _check_codes(values: Iterable[str], known: frozenset[str] | set[str] | dict, key: str) -> None:
    for v in _need_type(values, list, key):
        if not isinstance(v, str) or v not in known:
            raise _Bad(f"unknown code {v!r} in {key!r}")


def _nonneg(value: Any, key: str, optional: bool = False) -> None:
    v = _need_type(value, int, key, optional)
    if v is not None and v < 0:
        raise _Bad(f"{key!r} must not be negative, got {v}")


def _check_enum(value: Any, allowed: Sequence[str | None], key: str) -> None:
    if value not in allowed:
        raise _Bad(f"{key!r} must be one of {allowed}, got {value!r}")


def _validate(record: Any, cat: Catalog, ids: dict[str, dict[str, Any]]) -> None:
    """Checks of one record against the reference data and the records read before it."""
    if isinstance(record, Provider | Enterprise):
        _need_type(record.name, str, "name")
        if not credit_code.is_valid(record.credit_code):
            raise _Bad(f"invalid credit code {record.credit_code!r}")
        if cat.regions.get(record.region_code) is None or cat.regions[record.region_code].level != "CITY":
            raise _Bad(f"'region_code' must be a known CITY, got {record.region_code!r}")
        _check_codes(record.industry_codes, cat.industries, "industry_codes")
    if isinstance(record, Provider):
        _check_enum(record.kind, ("MANUFACTURER", "SERVICE_PROVIDER"), "kind")
        _check_codes(record.sharing_mode_codes, set(cat.mode_codes), "sharing_mode_codes")
        for held in record.certifications:
            if held.code not in cat.cert_codes:
                raise _Bad(f"unknown certification {held.code!r}")
            _check_enum(held.status, CERT_STATUSES, "certifications.status")
            if held.valid_until is not None:
                _iso_date(held.valid_until, "certifications.valid_until")
        rating = _need_type(record.rating, (int, float), "rating")
        if not 0 <= rating <= 5:
            raise _Bad(f"'rating' must be within 0…5, got {rating}")
    elif isinstance(record, CapabilityStatement):
        if record.provider_id not in ids["providers"]:
            raise _Bad(f"unknown provider {record.provider_id!r}")
        if not record.capability_codes:
            raise _Bad("'capability_codes' is empty")
        _check_codes(record.capability_codes, cat.caps, "capability_codes")
    elif isinstance(record, CapacityOffer):
        provider = ids["providers"].get(record.provider_id)
        if provider is None:
            raise _Bad(f"unknown provider {record.provider_id!r}")
        if provider.kind != "MANUFACTURER":
            raise _Bad(f"provider {record.provider_id!r} is not a MANUFACTURER")
        cap = cat.caps.get(record.capability_code)
        if cap is None or cap.kind != "PROCESS":
            raise _Bad(f"'capability_code' must be a known PROCESS, got {record.capability_code!r}")
        if record.material_code is not None and record.material_code not in cat.material_codes:
            raise _Bad(f"unknown material {record.material_code!r}")
        _check_enum(record.unit, UNITS, "unit")
        _check_enum(record.status, ("PUBLISHED", "WITHDRAWN"), "status")
        for key in ("monthly_volume", "lead_time_days", "moq", "booked_volume"):
            _nonneg(getattr(record, key), key)
        if record.booked_volume > record.monthly_volume:
            raise _Bad("'booked_volume' exceeds 'monthly_volume'")
        if _iso_date(record.available_from, "available_from") > _iso_date(
            record.available_to, "available_to"
        ):
            raise _Bad(f"available_from {record.available_from} is after available_to {record.available_to}")
    elif isinstance(record, Need):
        if record.enterprise_id not in ids["enterprises"]:
            raise _Bad(f"unknown enterprise {record.enterprise_id!r}")
        _check_enum(record.kind, ("SERVICE", "CAPACITY"), "kind")
        _check_enum(record.status, ("OPEN", "CLOSED"), "status")
        _check_enum(record.unit, (*UNITS, None), "unit")
        if not record.capability_codes:
            raise _Bad("'capability_codes' is empty")
        _check_codes(record.capability_codes, cat.caps, "capability_codes")
        _check_codes(record.declared_capability_codes, cat.caps, "declared_capability_codes")
        _check_codes(record.required_certification_codes, cat.cert_codes, "required_certification_codes")
        if record.material_code is not None and record.material_code not in cat.material_codes:
            raise _Bad(f"unknown material {record.material_code!r}")
        if record.region_code is not None and record.region_code not in cat.regions:
            raise _Bad(f"unknown region {record.region_code!r}")
        for key in ("quantity", "budget_min", "budget_max"):
            _nonneg(getattr(record, key), key, optional=True)
        if (
            record.budget_min is not None
            and record.budget_max is not None
            and record.budget_min > record.budget_max
        ):
            raise _Bad("'budget_min' exceeds 'budget_max'")
        _iso_date(record.deadline, "deadline")


def read_sample(directory: str | Path | None = None, cat: Catalog | None = None) -> SampleData:
    """Read and validate the five sample files; raise ``SeedFileError(path, line, reason)`` at the first
    problem (unknown codes, invalid credit codes, from > to, negative numbers, unknown foreign ids …)."""
    base = Path(directory) if directory is not None else Path(__file__).parent / "data" / "sample"
    cat = cat or catalog()
    ids: dict[str, dict[str, Any]] = {"providers": {}, "enterprises": {}}
    loaded: dict[str, list[Any]] = {}
    order = ("providers", "enterprises", "capability_statements", "capacity_offers", "needs")
    types = {
        "providers": Provider,
        "enterprises": Enterprise,
        "capability_statements": CapabilityStatement,
        "capacity_offers": CapacityOffer,
        "needs": Need,
    }
    for attr in order:
        path = base / FILE_NAMES[attr]
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except FileNotFoundError:
            raise SeedFileError(path, None, "file not found") from None
        if lines and lines[-1] == "":
            lines.pop()
        seen: set[str] = set()
        records = []
        for number, line in enumerate(lines, start=1):
            try:
                raw = json.loads(line)
                record = _parse_record(raw, types[attr])
                if not isinstance(record.id, str) or record.id in seen:
                    raise _Bad(f"duplicate or bad id {record.id!r}")
                _validate(record, cat, ids)
            except json.JSONDecodeError as exc:
                raise SeedFileError(path, number, f"malformed JSON: {exc.msg}") from None
            except (_Bad, TypeError) as exc:
                raise SeedFileError(path, number, str(exc)) from None
            seen.add(record.id)
            if attr in ids:
                ids[attr][record.id] = record
            records.append(record)
        loaded[attr] = records
    return SampleData(**loaded)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed.sample", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data" / "sample")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--providers", type=int, default=DEFAULT_COUNTS["providers"])
    parser.add_argument("--enterprises", type=int, default=DEFAULT_COUNTS["enterprises"])
    parser.add_argument("--needs", type=int, default=DEFAULT_COUNTS["needs"])
    args = parser.parse_args(argv)
    data = generate_sample(args.seed, args.providers, args.enterprises, args.needs)
    sizes = write_sample(args.out, data)
    for file_name, size in sizes.items():
        print(f"{args.out / file_name}: {size:,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
