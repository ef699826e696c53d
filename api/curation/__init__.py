"""The staff side of the resource pool (issue 11): admission, certificate verdicts, vocabulary
curation, 名录 editions and imports, the audit log. STAFF only, except that a provider reads its own
listing status and history (``Provider.listingStatus`` / ``listingHistory``).

Modules: ``enums`` (also used by ``api.types``), ``types``, ``inputs``, ``schema`` (root-field mixins),
``downloads`` (the edition files). Nothing is imported here, so ``api.types`` can use ``enums``
without a cycle.
"""
