"""Materials as people list them: "Q235碳钢等；aluminum alloy（5052-H32）" → Q235, 5052.

A factory writes what it works in as one line, or as a list whose items are themselves lists. Every
item is split into parts (at ；;、,，/ and line breaks; a bracketed part — full- or half-width — is a
part of its own: "白钢（304不锈钢、316L不锈钢）" → 白钢, 304不锈钢, 316L不锈钢), trailing "等"/"etc."
is dropped, and each part is linked to a Material node by :meth:`matching.linking.TaxonomyLinker.link_material`
(code, name/alias/user term, else embedding). A family that is named together with one of its own
grades says the same twice, so only the grade is kept ("aluminum alloy（5052-H32）" → 5052).
Parts that link to nothing are returned as typed, to be stored as unverified terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from matching.linking import Link, TaxonomyLinker

MAX_PARTS = 40  # parts linked per input; the rest is kept as unresolved text (inputs are bounded anyway)

_BRACKETS = re.compile(r"[（(【\[]([^（）()【】\[\]]*)[）)】\]]")
_SEPARATORS = re.compile(r"[；;、,，/／|｜\n\r\t]+|\s+(?:and|or|&)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:等等|等材料|等材质|等|etc\.?|and so on|\.{3}|…+|。)+$", re.IGNORECASE)
_LEADING = re.compile(r"^(?:材料|材质|material[s]?)\s*[:：]\s*", re.IGNORECASE)


def split_materials(texts: list[str]) -> list[str]:
    """The distinct material parts of each text, in order."""
    parts: list[str] = []
    for text in texts:
        flat = _BRACKETS.sub(lambda m: f"；{m.group(1)}；", text)
        for raw in _SEPARATORS.split(flat):
            part = _LEADING.sub("", raw.strip(" \u3000：:()（）[]【】-—"))
            part = _TRAILING.sub("", part).strip(" \u3000：:-—")
            if part and part not in parts:
                parts.append(part)
    return parts


@dataclass
class MaterialLinks:
    """What a material input named: ``links`` (one per material, most confident first; ``text`` the part
    it came from) and the parts that named nothing known."""

    links: list[tuple[Link, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


async def link_materials(linker: TaxonomyLinker, texts: list[str]) -> MaterialLinks:
    parts = split_materials(texts)
    result = MaterialLinks()
    found: dict[str, tuple[Link, str]] = {}
    linked = await linker.link_materials(parts[:MAX_PARTS])
    for part, link in zip(parts[:MAX_PARTS], linked, strict=True):
        if link is None:
            result.unknown.append(part)
        elif link.code not in found or found[link.code][0].confidence < link.confidence:
            found[link.code] = (link, part)
    result.unknown += parts[MAX_PARTS:]
    # a family named beside one of its grades: the grade says it all
    parents = {code: linker.material_parent(code) for code in found}
    kept = [item for code, item in found.items() if code not in parents.values()]
    result.links = sorted(kept, key=lambda item: (-item[0].confidence, item[0].code))
    return result
