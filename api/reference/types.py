"""Reference data as GraphQL types: taxonomy, regions, certifications, industries, materials, modes.

Each is a Relay ``Node`` keyed by its code and read through the request's reference DataLoader of
its label; :class:`ReferenceNode` is that lookup, written once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Self

import strawberry
from strawberry import relay

from api.enums import CapabilityKind, LinkMethod, RegionLevel
from graph.repositories.rows import ReferenceRow, StoredLinkRow


async def reference_rows(info: strawberry.Info, label: str, codes: Iterable[str]) -> list[ReferenceRow]:
    """The reference nodes of ``label`` with these codes, batched per request (unknown codes left out)."""
    rows = await info.context.loaders.reference[label].load_many(list(codes))
    return [row for row in rows if row is not None]


class ReferenceNode:
    """``node(id:)`` for a reference type: its label's DataLoader, then ``from_row``."""

    LABEL: ClassVar[str]

    @classmethod
    def from_row(cls, row: ReferenceRow) -> Self:
        raise NotImplementedError

    @classmethod
    async def resolve_nodes(cls, *, info: strawberry.Info, node_ids: Iterable[str],
                            required: bool = False) -> list[Self | None]:
        rows = await info.context.loaders.reference[cls.LABEL].load_many(list(node_ids))
        return [cls.from_row(row) if row else None for row in rows]

    @classmethod
    async def one(cls, info: strawberry.Info, code: str | None) -> Self | None:
        rows = await reference_rows(info, cls.LABEL, [code] if code else [])
        return cls.from_row(rows[0]) if rows else None

    @classmethod
    async def many(cls, info: strawberry.Info, codes: Iterable[str]) -> list[Self]:
        return [cls.from_row(row) for row in await reference_rows(info, cls.LABEL, codes)]


def _aliases(row: ReferenceRow) -> list[str]:
    return list(row.get("aliases") or [])


@strawberry.type(description="A node of the capability taxonomy: category (level 1), capability (2), "
                             "sub-capability (3).")
class Capability(ReferenceNode, relay.Node):
    LABEL: ClassVar[str] = "Capability"
    key: relay.NodeID[str]
    code: str
    name_zh: str
    name_en: str | None
    kind: CapabilityKind
    level: int | None
    aliases: list[str]
    description: str | None
    parent_codes: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: ReferenceRow) -> Capability:
        return cls(key=row["code"], code=row["code"], name_zh=row["name_zh"], name_en=row.get("name_en"),
                   kind=CapabilityKind(row["kind"]), level=row.get("level"), aliases=_aliases(row),
                   description=row.get("description"), parent_codes=list(row.get("parents") or []))

    @strawberry.field(description="The node one level up (null for a category).")
    async def parent(self, info: strawberry.Info) -> Capability | None:
        return await Capability.one(info, self.parent_codes[0] if self.parent_codes else None)

    @strawberry.field(description="The nodes one level down.")
    async def children(self, info: strawberry.Info) -> list[Capability]:
        rows = await info.context.loaders.children["Capability"].load(self.code)
        return [Capability.from_row(row) for row in rows]

    @strawberry.field(description="From the category down to this node (this node last).")
    async def path(self, info: strawberry.Info) -> list[Capability]:
        path = [self]
        seen = {self.code}
        while path[0].parent_codes and path[0].parent_codes[0] not in seen:
            parent = await path[0].parent(info)
            if parent is None:
                break
            seen.add(parent.code)
            path.insert(0, parent)
        return path


@strawberry.type(description="A region: a group such as 成渝地区, a province, or a city.")
class Region(ReferenceNode, relay.Node):
    LABEL: ClassVar[str] = "Region"
    key: relay.NodeID[str]
    code: str
    name_zh: str
    name_en: str | None
    level: RegionLevel
    aliases: list[str]
    lat: float | None
    lon: float | None
    parent_codes: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: ReferenceRow) -> Region:
        return cls(key=row["code"], code=row["code"], name_zh=row["name_zh"], name_en=row.get("name_en"),
                   level=RegionLevel(row["level"]), aliases=_aliases(row), lat=row.get("lat"),
                   lon=row.get("lon"), parent_codes=list(row.get("parents") or []))

    @strawberry.field(description="The regions this one is PART_OF, one step up (province, groups).")
    async def part_of(self, info: strawberry.Info) -> list[Region]:
        return await Region.many(info, self.parent_codes)

    @strawberry.field(description="The regions PART_OF this one, one step down.")
    async def parts(self, info: strawberry.Info) -> list[Region]:
        return [Region.from_row(row) for row in await info.context.loaders.children["Region"].load(self.code)]


@strawberry.type(description="A certification scheme (ISO 9001, IATF 16949, 等保三级 …).")
class Certification(ReferenceNode, relay.Node):
    LABEL: ClassVar[str] = "Certification"
    key: relay.NodeID[str]
    code: str
    name: str
    aliases: list[str]

    @classmethod
    def from_row(cls, row: ReferenceRow) -> Certification:
        return cls(key=row["code"], code=row["code"], name=row["name"], aliases=_aliases(row))


@strawberry.type(description="An industry: a GB/T 4754-2017 manufacturing division or a pillar industry.")
class Industry(ReferenceNode, relay.Node):
    LABEL: ClassVar[str] = "Industry"
    key: relay.NodeID[str]
    code: str
    name_zh: str
    name_en: str | None
    aliases: list[str]
    pillar: bool

    @classmethod
    def from_row(cls, row: ReferenceRow) -> Industry:
        return cls(key=row["code"], code=row["code"], name_zh=row["name_zh"], name_en=row.get("name_en"),
                   aliases=_aliases(row), pillar=bool(row.get("pillar")))


@strawberry.type(description="A material or material grade (grade → family).")
class Material(ReferenceNode, relay.Node):
    LABEL: ClassVar[str] = "Material"
    key: relay.NodeID[str]
    code: str
    name_zh: str
    name_en: str | None
    aliases: list[str]
    parent_codes: strawberry.Private[list[str]]

    @classmethod
    def from_row(cls, row: ReferenceRow) -> Material:
        return cls(key=row["code"], code=row["code"], name_zh=row["name_zh"], name_en=row.get("name_en"),
                   aliases=_aliases(row), parent_codes=list(row.get("parents") or []))

    @strawberry.field(description="The material family of a grade.")
    async def parent(self, info: strawberry.Info) -> Material | None:
        return await Material.one(info, self.parent_codes[0] if self.parent_codes else None)


@strawberry.type(description="A mode of shared manufacturing: 中介型, 众创型, 服务型, 协同型.")
class SharingMode(ReferenceNode, relay.Node):
    LABEL: ClassVar[str] = "SharingMode"
    key: relay.NodeID[str]
    code: str
    name_zh: str
    name_en: str | None
    description: str | None

    @classmethod
    def from_row(cls, row: ReferenceRow) -> SharingMode:
        return cls(key=row["code"], code=row["code"], name_zh=row["name_zh"], name_en=row.get("name_en"),
                   description=row.get("description"))


@strawberry.type(description="A link from free text to a taxonomy node, with how sure the service is.")
class CapabilityLink:
    capability: Capability
    confidence: float = strawberry.field(description="0..1; 1 for a code given explicitly.")
    method: LinkMethod


@strawberry.type(description="A link from typed material text to a material node, with how sure the service is.")
class MaterialLink:
    material: Material
    confidence: float = strawberry.field(description="0..1; 1 for a code given explicitly.")
    method: LinkMethod
    text: str | None = strawberry.field(description="The part of the input it was linked from.")


async def material_links(info: strawberry.Info, links: list[Any]) -> list[MaterialLink]:
    """Stored material links (most confident first) with their nodes, loaded in one batch."""
    rows = {row["code"]: row for row in await reference_rows(info, "Material", [link["code"] for link in links])}
    return [MaterialLink(material=Material.from_row(rows[link["code"]]), confidence=float(link["confidence"]),
                         method=LinkMethod(link.get("method") or "CODE"), text=link.get("text"))
            for link in links if link["code"] in rows]


async def capability_links(info: strawberry.Info, links: list[StoredLinkRow]) -> list[CapabilityLink]:
    """Links as repositories return them: with the capability node inline (or, failing that, loaded)."""
    nodes: dict[str, Any] = {link["code"]: link["node"] for link in links if link.get("node")}
    missing = [link["code"] for link in links if link["code"] not in nodes]
    nodes |= {row["code"]: row for row in await reference_rows(info, "Capability", missing)} if missing else {}
    ordered = sorted(links, key=lambda link: (-(link.get("confidence") or 0.0), link["code"]))
    return [CapabilityLink(capability=Capability.from_row(nodes[link["code"]]),
                           confidence=float(link.get("confidence") or 0.0),
                           method=LinkMethod(link.get("method") or "CODE"))
            for link in ordered if link["code"] in nodes]
