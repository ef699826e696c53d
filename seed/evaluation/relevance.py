"""How close a provider's capability is to the one a need asks for, from the taxonomy alone.

The judge grades with these rules on the sample's ground-truth codes, never with text similarity, so a
grade says what the provider really does, not how its text reads:

* **3 — exact:** the same taxonomy node as the need's, or a descendant of it (a need for 压铸 is served
  exactly by 铝合金压铸);
* **2 — closely related:** the parent (when the parent is not a whole category), a sibling under the same
  capability (铝合金压铸 / 锌合金压铸), any two capabilities of a *one-process category*
  (:data:`FAMILY_CATEGORIES`: three-axis and five-axis CNC, TIG and MIG welding — the same shop usually does
  both), or a pair listed in :data:`RELATED`;
* **1 — same broad category:** any other pair under the same level-1 category (铝合金压铸 / 砂型铸造,
  等保测评 / 态势感知);
* **0** — otherwise.

Categories that are catalogues of different businesses (食品代工: 火锅底料 vs 白酒; 表面处理: 阳极氧化 vs
喷漆; 铸造: 压铸 vs 砂型铸造) are deliberately not one-process categories.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from seed.reference import Capability

__all__ = ["FAMILY_CATEGORIES", "RELATED", "Relation", "Taxonomy"]

FAMILY_CATEGORIES = frozenset({
    "P.MACH",  # 数控/车/铣/磨/电加工: one machining shop
    "P.SHEET",  # 激光切割/折弯/冲床/机箱: one sheet-metal shop
    "P.STAMP",  # 级进模/拉伸/覆盖件: presses
    "P.WELD",  # 氩弧/气保/机器人/激光焊
    "P.HEAT",  # 淬火/渗碳/渗氮/真空: one heat-treatment shop
    "P.MOULD",  # 模具设计/注塑模/压铸模/冲压模/工装: one toolroom
    "P.ASSY",
    "P.PROTO",
    "P.COMP",
    "P.RUBBER",
})

# Pairs from different branches that are one offering in practice (a code covers its descendants).
RELATED: tuple[tuple[str, str], ...] = (
    ("P.PROTO.CNC", "P.MACH.CNC"),  # CNC 手板 is CNC machining of one-offs
    ("S.EQP.PDM", "S.EQP.REMOTE"),  # 预测性维护 and 远程运维/故障诊断 are sold as one service
    ("S.MES.MES", "S.MES.DW"),  # MES is the core of a 数字化车间 project
)


@dataclass(frozen=True, slots=True)
class Relation:
    grade: int  # 0..3
    kind: str  # same | descendant | parent | sibling | family | related | category | none
    code: str  # the provider's code
    target: str  # the need's code it was compared with


class Taxonomy:
    """The capability tree as parent links, with the relation rules above."""

    def __init__(self, capabilities: Iterable[Capability]):
        self.parent: dict[str, str | None] = {c.code: c.parent for c in capabilities}
        self._ancestors = {code: self._walk_up(code) for code in self.parent}
        self._relations: dict[tuple[str, str], Relation] = {}

    def level(self, code: str) -> int:
        return code.count(".")

    def ancestors(self, code: str) -> list[str]:
        """Parent first, up to the category."""
        return self._ancestors.get(code) or []

    def _walk_up(self, code: str) -> list[str]:
        out: list[str] = []
        parent = self.parent.get(code)
        while parent:
            out.append(parent)
            parent = self.parent.get(parent)
        return out

    def category(self, code: str) -> str:
        return code.split(".")[0] + "." + code.split(".")[1]

    def _within(self, code: str, root: str) -> bool:
        return code == root or root in self.ancestors(code)

    def relation(self, code: str, target: str) -> Relation:
        """The relation of a provider's ``code`` to one of the need's ``target`` codes (memoised)."""
        key = (code, target)
        if key not in self._relations:
            self._relations[key] = self._relation(code, target)
        return self._relations[key]

    def _relation(self, code: str, target: str) -> Relation:
        if code not in self.parent or target not in self.parent:
            return Relation(0, "none", code, target)
        if code == target:
            return Relation(3, "same", code, target)
        if target in self.ancestors(code):
            return Relation(3, "descendant", code, target)
        if code in self.ancestors(target) and self.level(code) >= 2:
            return Relation(2, "parent", code, target)
        parent = self.parent[code]
        if parent is not None and parent == self.parent[target] and self.level(parent) >= 2:
            return Relation(2, "sibling", code, target)
        same_category = self.category(code) == self.category(target)
        if same_category and self.category(code) in FAMILY_CATEGORIES and min(self.level(code),
                                                                               self.level(target)) >= 2:
            return Relation(2, "family", code, target)
        for a, b in RELATED:
            if (self._within(code, a) and self._within(target, b)) or (self._within(code, b)
                                                                       and self._within(target, a)):
                return Relation(2, "related", code, target)
        if same_category:
            return Relation(1, "category", code, target)
        return Relation(0, "none", code, target)

    def best(self, codes: Iterable[str], targets: Iterable[str]) -> Relation:
        """The closest relation of any of ``codes`` to any of ``targets`` (ties: the first in code order)."""
        targets = tuple(targets)
        best = Relation(0, "none", "", targets[0] if targets else "")
        for code in sorted(set(codes)):
            for target in targets:
                rel = self.relation(code, target)
                if rel.grade > best.grade:
                    best = rel
        return best
