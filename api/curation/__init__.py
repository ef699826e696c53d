"""The staff side of the resource pool (issue 11): admission, certificate verdicts, vocabulary
curation, 名录 editions and imports, the audit log. STAFF only, except that a provider reads its own
listing status and history (``Provider.listingStatus`` / ``listingHistory``)."""

from api.curation.schema import CurationMutation, CurationQuery
from api.curation.types import Edition

__all__ = ["CurationMutation", "CurationQuery", "Edition"]
