"""The curation rules as data, in one place: listing transitions, certificate verification, duplicate
thresholds and auto-listing. Nothing here reads the database.

Listing (资源池 admission)::

    APPLIED ──LIST──▶ LISTED ──SUSPEND──▶ SUSPENDED ──LIST──▶ LISTED
       └────REJECT──▶ REJECTED                └──REJECT──▶ REJECTED

Only LISTED providers are in the public directory, in search and in matching. REJECTED is final for
that registration (a provider that fixes its profile is re-listed from SUSPENDED, not from REJECTED).

Duplicates follow Open Supply Hub's published matching design: a name similarity at or above
:data:`DUPLICATE_SIMILARITY` in the same region is the same organisation (refused as DUPLICATE,
naming the existing provider); from :data:`REVIEW_SIMILARITY` up to it the registration is created
APPLIED and flagged for staff review with the candidate shown; below it the registration is new.
The same credit code is always a duplicate.
"""

from __future__ import annotations

import os
from enum import Enum

from matching.validation import ErrorCode, UserError


class ListingStatus(Enum):
    APPLIED = "APPLIED"  # registered, waiting for staff review
    LISTED = "LISTED"  # in the pool: public, searchable, matchable
    REJECTED = "REJECTED"  # not admitted
    SUSPENDED = "SUSPENDED"  # taken out of the pool for now


class Decision(Enum):
    """What staff decide in ``reviewProvider``."""

    LIST = "LIST"
    REJECT = "REJECT"
    SUSPEND = "SUSPEND"


# (from, decision) -> to; a pair not here is an INVALID_STATE refusal.
LISTING_TRANSITIONS: dict[tuple[ListingStatus, Decision], ListingStatus] = {
    (ListingStatus.APPLIED, Decision.LIST): ListingStatus.LISTED,
    (ListingStatus.APPLIED, Decision.REJECT): ListingStatus.REJECTED,
    (ListingStatus.LISTED, Decision.SUSPEND): ListingStatus.SUSPENDED,
    (ListingStatus.SUSPENDED, Decision.LIST): ListingStatus.LISTED,
    (ListingStatus.SUSPENDED, Decision.REJECT): ListingStatus.REJECTED,
}

PUBLIC_STATUS = ListingStatus.LISTED  # the one status the public directory, search and matching show


def next_listing(current: ListingStatus, decision: Decision) -> ListingStatus | None:
    """The status ``decision`` leads to from ``current``, or None when it is not allowed."""
    return LISTING_TRANSITIONS.get((current, decision))


def allowed_decisions(current: ListingStatus) -> list[Decision]:
    return [decision for (start, decision) in LISTING_TRANSITIONS if start == current]


class Verification(Enum):
    """A held certificate as staff judged it. DECLARED is what every certificate starts as."""

    DECLARED = "DECLARED"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"


# A staff verdict may move a certificate to VERIFIED or REJECTED from any state (a re-check can
# overturn an earlier verdict); setting it back to DECLARED is not a verdict.
VERDICTS = (Verification.VERIFIED, Verification.REJECTED)

# A verdict needs evidence: a certificate number, issuer and date, or a URL of the registry entry.
MAX_EVIDENCE = 1000
MAX_REASON = 1000

# ------------------------------------------------------------------------------------------ duplicates

DUPLICATE_SIMILARITY = 0.8  # >= this, same region: the same organisation, refused as DUPLICATE
REVIEW_SIMILARITY = 0.5  # >= this (and below DUPLICATE_SIMILARITY), same region: created APPLIED, flagged
DUPLICATE_CANDIDATES = 20  # at most this many name candidates are compared per registration

# ----------------------------------------------------------------------------------------- listing

EXPIRY_WINDOW_DAYS = 30  # the daily expiry view: certificates running out within this many days


def auto_list() -> bool:
    """Whether new registrations are LISTED at once (audited as ``system``) instead of APPLIED.

    ``GONGXU_AUTO_LIST=1`` turns it on, ``0`` off; unset, it is on outside production
    (``GONGXU_ENV`` not ``production``) so a newcomer's demo works end to end, and off in production.
    """
    value = os.environ.get("GONGXU_AUTO_LIST")
    if value is not None and value.strip() != "":
        return value.strip().lower() in ("1", "true", "yes", "on")
    return os.environ.get("GONGXU_ENV", "").strip().lower() != "production"


SYSTEM_ACTOR = "system"  # the actor of audit events no person caused (auto-listing)

# ------------------------------------------------------------------------------------- provider kinds

# The primary kind (matching.capability_links.STATEMENT_KINDS: SERVICE_PROVIDER or MANUFACTURER) decides
# what a provider may publish (a MANUFACTURER publishes capacity offers). Tags: the provider types the
# policy documents name (004 §8: 平台运营商、产品供应商、服务提供商, plus manufacturers). A provider
# carries its primary kind as a tag and any others it declares.
PROVIDER_TAGS = {
    "PLATFORM_OPERATOR": "平台运营商",
    "PRODUCT_SUPPLIER": "产品供应商",
    "SERVICE_PROVIDER": "服务提供商",
    "MANUFACTURER": "制造商",
}


def provider_tags(kind: str, declared: list[str] | None) -> list[str]:
    """The stored tag set: the primary kind first, then the declared tags in PROVIDER_TAGS order."""
    wanted = set(declared or []) | {kind}
    return [kind] + [tag for tag in PROVIDER_TAGS if tag in wanted and tag != kind]


def check_tags(tags: list[str] | None) -> list[UserError]:
    """Each tag one of PROVIDER_TAGS (the API's enum already guarantees it; files and the CLI do not)."""
    return [UserError(ErrorCode.INVALID, f"tags.{index}", f"{tag!r} is not a provider kind; one of "
                                                          f"{', '.join(PROVIDER_TAGS)}")
            for index, tag in enumerate(tags or []) if tag not in PROVIDER_TAGS]
