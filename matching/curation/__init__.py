"""The resource pool as the policies run it (issue 11): who is admitted, which certificates are
verified, what a published 名录 edition holds, which registrations are duplicates.

* :mod:`matching.curation.policy` — the rules as data: listing and verification transitions, the
  duplicate thresholds, auto-listing; no I/O.
* :mod:`matching.curation.duplicates` — name similarity and the duplicate verdict of a registration.
* :mod:`matching.curation.commands` — the staff commands (review, verify, publish), each one
  transaction with its audit event.
* :mod:`matching.curation.files` — 名录 files: CSV/XLSX export of an edition and the parsing and
  row checks of a provider list to import.
"""
