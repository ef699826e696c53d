"""Inputs of the curation mutations."""

from __future__ import annotations

import strawberry

from api.curation.enums import ListingDecision, Verification


@strawberry.input(description="A staff decision on a provider's listing. REJECT and SUSPEND need a reason.")
class ReviewProviderInput:
    provider_id: strawberry.ID
    decision: ListingDecision
    reason: str | None = None


@strawberry.input(description="A staff verdict on a held certificate, with evidence (certificate number and "
                              "issuer, registry URL, or why it was rejected).")
class VerifyCertificationInput:
    provider_id: strawberry.ID
    certification: str = strawberry.field(description="The certification's code, name or alias.")
    verification: Verification
    evidence: str


@strawberry.input(description="Map an unverified term to an existing node: the text becomes an alias and every "
                              "mention is re-linked.")
class MapTermInput:
    term: str = strawberry.field(description="UnverifiedTerm.key")
    code: str


@strawberry.input(description="Create a reference node for an unverified term and map the term to it.")
class CreateTermNodeInput:
    term: str = strawberry.field(description="UnverifiedTerm.key")
    code: str
    name: str | None = None


@strawberry.input(description="Publish the next 名录 edition of the LISTED pool, optionally of one capability "
                              "category and/or region (sub-regions included).")
class PublishEditionInput:
    title: str
    category: str | None = None
    region: str | None = None
