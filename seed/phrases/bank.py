"""The phrase-bank record shared by process and service banks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bank:
    """Phrases about exactly one capability (see :mod:`seed.phrases.processes` for the fields)."""

    zh: tuple[str, ...]
    en: tuple[str, ...]
    short_zh: tuple[str, ...] = ()
    detail_zh: tuple[str, ...] = ()
    detail_en: tuple[str, ...] = ()
    items_zh: tuple[str, ...] = ()
    items_en: tuple[str, ...] = ()
    trade: tuple[tuple[str, str], ...] = ()
    units: tuple[str, ...] = ("PIECE",)
    materials: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()

    def merged(self, other: Bank) -> Bank:
        """This bank with ``other``'s phrases appended (used to enrich from the taxonomy)."""

        def cat(a: tuple, b: tuple) -> tuple:
            return a + tuple(x for x in b if x not in a)

        return Bank(
            zh=cat(self.zh, other.zh),
            en=cat(self.en, other.en),
            short_zh=cat(self.short_zh, other.short_zh),
            detail_zh=cat(self.detail_zh, other.detail_zh),
            detail_en=cat(self.detail_en, other.detail_en),
            items_zh=cat(self.items_zh, other.items_zh),
            items_en=cat(self.items_en, other.items_en),
            trade=cat(self.trade, other.trade),
            units=self.units or other.units,
            materials=cat(self.materials, other.materials),
            industries=cat(self.industries, other.industries),
        )
