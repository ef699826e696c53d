"""Phrase banks and text templates for the sample and scale generators (data only, no randomness)."""

from seed.phrases.bank import Bank
from seed.phrases.categories import CATEGORY_DEFAULTS
from seed.phrases.processes import PROCESS_BANKS
from seed.phrases.services import SERVICE_BANKS

BANKS: dict[str, Bank] = {**PROCESS_BANKS, **SERVICE_BANKS}

__all__ = ["BANKS", "CATEGORY_DEFAULTS", "Bank"]
