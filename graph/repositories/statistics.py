"""Counts of what the graph holds (one round trip)."""

from __future__ import annotations

from graph.db import Database

COUNTS = """
RETURN COUNT { MATCH (:Provider) } AS providers,
       COUNT { MATCH (:Manufacturer) } AS manufacturers,
       COUNT { MATCH (:ServiceProvider) } AS service_providers,
       COUNT { MATCH (:CapabilityStatement) } AS capability_statements,
       COUNT { MATCH (:CapacityOffer) } AS capacity_offers,
       COUNT { MATCH (:Enterprise) } AS enterprises,
       COUNT { MATCH (:Need) } AS needs,
       COUNT { MATCH (:Need {status: 'OPEN'}) } AS open_needs,
       COUNT { MATCH (:Match) } AS matches,
       COUNT { MATCH (:Capability) } AS capabilities,
       COUNT { MATCH (:Material) } AS materials,
       COUNT { MATCH (:Certification) } AS certifications,
       COUNT { MATCH (:Industry) } AS industries,
       COUNT { MATCH (:Region) } AS regions,
       COUNT { MATCH (:SharingMode) } AS sharing_modes
"""


async def counts(db: Database) -> dict[str, int]:
    rows = await db.read(COUNTS)
    return rows[0]
