"""The authorization matrix, declared: who may call every root field and read every private field.

``tests/api/test_authorization_matrix.py`` introspects the live schema (``api.schema.schema``) and
fails when a Query field, a Mutation field or a field of an object type is not declared here — so a
field added later must be classified before it ships. The rules restate docs/API.md ("Auth and
roles") and docs/MATCHING.md §9; each is checked over HTTP for every role below.

Roles (tokens on the test world of tests/matching/matching_world.py):

* ``anonymous`` — no header;
* ``enterprise_owner`` — ENTERPRISE ``ent_car``, which posted the needs below;
* ``enterprise_other`` — ENTERPRISE ``ent_other``;
* ``provider_owner`` — PROVIDER ``prv_cd_die``, a manufacturer (its statements and offers, its match);
* ``provider_other`` — PROVIDER ``prv_cd_sec``, a service provider with no match on the needs;
* ``staff`` — STAFF (reads everything, changes nothing).

Placeholders in documents (``{need}`` …) are the world's objects as global ids (see the test's
``PLACES``). Outcomes:

* ``OK`` — no error (a mutation's payload ``errors`` is empty);
* ``SEES`` / ``BLIND`` — no error, and the check's ``secret`` is / is not in the response;
* an error code (``UNAUTHENTICATED``, ``FORBIDDEN``, ``NOT_FOUND``) — the top-level
  ``extensions.code`` of a query, or the first payload error of a mutation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("anonymous", "enterprise_other", "provider_other", "staff", "enterprise_owner", "provider_owner")
# refused roles run first, the owners last: a refusal is checked against the untouched object


@dataclass(frozen=True)
class Check:
    document: str
    expect: dict[str, str]
    secret: str | None = None  # for SEES / BLIND: a placeholder or literal that must (not) be in the response


def roles(default: str, **overrides: str) -> dict[str, str]:
    """Every role's outcome: ``default`` unless named."""
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: overrides.get(role, default) for role in ROLES}


ANYONE = roles("OK")
# a token's own mutation: anonymous must authenticate, other roles are refused before any lookup
ENTERPRISE_ONLY = roles("FORBIDDEN", anonymous="UNAUTHENTICATED", enterprise_owner="OK", enterprise_other="OK")
PROVIDER_ONLY = roles("FORBIDDEN", anonymous="UNAUTHENTICATED", provider_owner="OK", provider_other="OK")
# an enterprise's private object (need, match): other enterprises are told NOT_FOUND (existence not revealed)
OWN_ENTERPRISE_OBJECT = roles("FORBIDDEN", anonymous="UNAUTHENTICATED", enterprise_owner="OK",
                              enterprise_other="NOT_FOUND")
# a provider's public object (profile, statement, published offer): others see it, so FORBIDDEN
OWN_PROVIDER_OBJECT = roles("FORBIDDEN", anonymous="UNAUTHENTICATED", provider_owner="OK")
# readable by its owner and staff only; to everyone else it is as if missing (null, absent from lists)
OWNER_AND_STAFF = roles("BLIND", enterprise_owner="SEES", staff="SEES")
PROVIDER_OWNER_AND_STAFF = roles("BLIND", provider_owner="SEES", staff="SEES")
TOKEN_HOLDERS = roles("SEES", anonymous="BLIND")
# curation (docs/API.md "Staff", docs/CURATION.md): a STAFF token only
STAFF_ONLY = roles("FORBIDDEN", anonymous="UNAUTHENTICATED", staff="OK")

# ------------------------------------------------------------------------------------------- Query



def reference(name: str) -> list[Check]:
    """Reference data: anyone."""
    return [Check(f"{{ {name} {{ __typename }} }}", ANYONE)]


QUERY: dict[str, list[Check]] = {
    "node": [
        Check('{ node(id: "{provider}") { id } }', roles("SEES"), "{provider}"),
        Check('{ node(id: "{statement}") { id } }', roles("SEES"), "{statement}"),
        Check('{ node(id: "{offer}") { id } }', roles("SEES"), "{offer}"),
        Check('{ node(id: "{withdrawn_offer}") { id } }', PROVIDER_OWNER_AND_STAFF, "{withdrawn_offer}"),
        Check('{ node(id: "{enterprise}") { id } }', OWNER_AND_STAFF, "{enterprise}"),
        Check('{ node(id: "{need}") { id } }', OWNER_AND_STAFF, "{need}"),
        # the public track record and curation state of a listed provider: anyone, no error
        Check('{ node(id: "{provider}") { ... on Provider { listingStatus tags ratingSummary { count prior } '
              "fulfilment { status } certifications { verification verifiedAt } } } }", roles("SEES"), "VERIFIED"),
    ],
    "statistics": [Check("{ statistics { providers needs } }", ANYONE)],  # counts only, no object
    "viewer": [Check("{ viewer { role enterprise { id } provider { id } } }", roles("BLIND", enterprise_owner="SEES"),
                     "{enterprise}"),
               Check("{ viewer { provider { id } } }", roles("BLIND", provider_owner="SEES"), "{provider}")],
    "providers": [Check("{ providers(first: 100) { edges { node { id } } } }", roles("SEES"), "{provider}")],
    "enterprises": [Check("{ enterprises(first: 100) { edges { node { id } } } }", OWNER_AND_STAFF, "{enterprise}")],
    "needs": [Check("{ needs(first: 100) { edges { node { id } } } }", OWNER_AND_STAFF, "{need}")],
    "searchProviders": [Check('{ searchProviders(text: "铝合金压铸", first: 10) { provider { id } } }', ANYONE)],
    "capabilityTree": reference("capabilityTree"),
    "capabilities": [Check('{ capabilities(parent: "P.CAST") { code } }', ANYONE)],
    "capability": [Check('{ capability(code: "P.CAST") { code } }', ANYONE)],
    "regions": reference("regions"),
    "certifications": reference("certifications"),
    "industries": reference("industries"),
    "materials": reference("materials"),
    "sharingModes": reference("sharingModes"),
    # docs/MATCHING.md §9; a provider reads only its own stored match and cannot tell other needs from missing
    "matches": [Check('{ matches(needId: "{need}") { edges { node { provider { id } } } } }',
                      roles("NOT_FOUND", anonymous="UNAUTHENTICATED", enterprise_owner="SEES", staff="SEES",
                            provider_owner="SEES"), "{provider}"),
                Check('{ matches(needId: "{missing_need}") { totalCount } }',
                      roles("NOT_FOUND", anonymous="UNAUTHENTICATED"))],
    "consortia": [Check('{ consortia(needId: "{need}") { singleProviderFeasible } }',
                        roles("FORBIDDEN", anonymous="UNAUTHENTICATED", enterprise_owner="OK",
                              enterprise_other="NOT_FOUND", staff="OK"))],
    "opportunities": [Check('{ opportunities(providerId: "{provider}") { totalCount } }',
                            roles("FORBIDDEN", anonymous="UNAUTHENTICATED", provider_owner="OK", staff="OK"))],
    "staffReports": [Check('{ staffReports(filter: {from: "2026-01-01", to: "2026-12-31"}) { scope } }',
                           roles("FORBIDDEN", staff="OK"))],  # docs/REPORTS.md
    # deals (docs/API.md "One deal", docs/DEALS.md): a provider lists its own responses; the need's enterprise
    # and staff every response to one need (needId required: FORBIDDEN without it); other enterprises NOT_FOUND
    # (the world's matched provider has answered the need with {response_message})
    "responses": [Check("{ responses { message } }",
                        roles("FORBIDDEN", anonymous="UNAUTHENTICATED", provider_owner="SEES", provider_other="BLIND"),
                        "{response_message}"),
                  Check('{ responses(needId: "{need}") { message } }',
                        roles("SEES", anonymous="UNAUTHENTICATED", enterprise_other="NOT_FOUND",
                              provider_other="BLIND"), "{response_message}"),
                  Check('{ responses(needId: "{missing_need}") { message } }',
                        roles("NOT_FOUND", anonymous="UNAUTHENTICATED", provider_owner="OK", provider_other="OK"))],
    # curation: STAFF only
    "reviewQueue": [Check("{ reviewQueue { provider { id } } }", STAFF_ONLY)],
    "unverifiedTerms": [Check("{ unverifiedTerms { key } }", STAFF_ONLY)],
    "auditLog": [Check("{ auditLog { events { id } } }", STAFF_ONLY)],
    "editions": [Check("{ editions { number } }", STAFF_ONLY)],
    "expiringCertifications": [Check("{ expiringCertifications { daysLeft } }", STAFF_ONLY)],
}

# ---------------------------------------------------------------------------------------- Mutation
# In this order (a success changes the world: accept before the offer is withdrawn …). `{n}` is a fresh
# number per call (names, credit codes are made unique by the test).

_PAYLOAD = "errors { code field message }"
MUTATION: dict[str, Check] = {
    "registerEnterprise": Check('mutation { registerEnterprise(input: {name: "矩阵企业{n}", '
                                f'creditCode: "{{credit_code}}"}}) {{ {_PAYLOAD} }} }}', ANYONE),
    "registerProvider": Check('mutation { registerProvider(input: {kind: SERVICE_PROVIDER, name: "矩阵服务商{n}", '
                              f'creditCode: "{{credit_code}}"}}) {{ {_PAYLOAD} }} }}', ANYONE),
    # a provider answers a need it matches, before the enterprise decides (the other provider has no match on
    # it: NOT_FOUND); enterprises and staff are not providers: FORBIDDEN
    "respondToNeed": Check('mutation { respondToNeed(input: {needId: "{need}", interest: INTERESTED, price: 1000, '
                           f'leadTimeDays: 20}}) {{ {_PAYLOAD} }} }}',
                           roles("FORBIDDEN", anonymous="UNAUTHENTICATED", provider_other="NOT_FOUND",
                                 provider_owner="OK")),
    "acceptMatch": Check(f'mutation {{ acceptMatch(input: {{matchId: "{{match}}"}}) {{ {_PAYLOAD} }} }}',
                         OWN_ENTERPRISE_OBJECT),
    "rejectMatch": Check(f'mutation {{ rejectMatch(input: {{matchId: "{{match2}}", reason: "交期不合适"}}) '
                         f"{{ {_PAYLOAD} }} }}", OWN_ENTERPRISE_OBJECT),
    # the accepted match (before its offer is withdrawn below): the enterprise confirms CONTRACTED; non-parties
    # NOT_FOUND; staff take no deal step (FORBIDDEN). The provider runs after the enterprise, on a match that is
    # CONTRACTED already: CONTRACTED is the enterprise's step, so the provider is FORBIDDEN even though a
    # repeat of the current status by the right side would be a harmless no-op
    "advanceMatch": Check('mutation { advanceMatch(input: {matchId: "{match}", to: CONTRACTED, note: "合同{n}"}) '
                          f"{{ {_PAYLOAD} }} }}",
                          roles("NOT_FOUND", anonymous="UNAUTHENTICATED", staff="FORBIDDEN", enterprise_owner="OK",
                                provider_owner="FORBIDDEN")),
    # the world has no COMPLETED deal: the enterprise gets INVALID_STATE (the refusals of the others are the
    # check). The stars are validated per side before the lookup: the enterprise's stars from a provider are
    # REQUIRED (clarity), whoever owns the match
    "rateMatch": Check(f'mutation {{ rateMatch(input: {{matchId: "{{match}}", quality: 5, delivery: 4, '
                       f'communication: 5}}) {{ {_PAYLOAD} }} }}',
                       roles("NOT_FOUND", anonymous="UNAUTHENTICATED", staff="FORBIDDEN",
                             enterprise_owner="INVALID_STATE", provider_owner="REQUIRED", provider_other="REQUIRED")),
    "postNeed": Check(f'mutation {{ postNeed(input: {{kind: SERVICE, title: "等保测评{{n}}"}}) {{ {_PAYLOAD} }} }}',
                      ENTERPRISE_ONLY),
    "updateNeed": Check(f'mutation {{ updateNeed(input: {{id: "{{need}}", description: "改{{n}}"}}) '
                        f"{{ {_PAYLOAD} }} }}", OWN_ENTERPRISE_OBJECT),
    "closeNeed": Check(f'mutation {{ closeNeed(input: {{id: "{{need_to_close}}"}}) {{ {_PAYLOAD} }} }}',
                       OWN_ENTERPRISE_OBJECT),
    "updateProvider": Check(f'mutation {{ updateProvider(input: {{id: "{{provider}}", description: "改{{n}}"}}) '
                            f"{{ {_PAYLOAD} }} }}", OWN_PROVIDER_OBJECT),
    "addCapability": Check(f'mutation {{ addCapability(input: {{text: "铝合金压铸{{n}}"}}) {{ {_PAYLOAD} }} }}',
                           PROVIDER_ONLY),
    "removeCapability": Check(f'mutation {{ removeCapability(input: {{id: "{{statement}}"}}) {{ {_PAYLOAD} }} }}',
                              OWN_PROVIDER_OBJECT),
    # manufacturers only: the other provider is a service provider, also FORBIDDEN
    "publishCapacityOffer": Check('mutation { publishCapacityOffer(input: {processText: "铝合金压铸", '
                                  f"monthlyVolume: 1000, unit: PIECE}}) {{ {_PAYLOAD} }} }}", OWN_PROVIDER_OBJECT),
    "updateCapacityOffer": Check(f'mutation {{ updateCapacityOffer(input: {{id: "{{offer}}", moq: 600}}) '
                                 f"{{ {_PAYLOAD} }} }}", OWN_PROVIDER_OBJECT),
    "withdrawCapacityOffer": Check(f'mutation {{ withdrawCapacityOffer(input: {{id: "{{offer}}"}}) '
                                   f"{{ {_PAYLOAD} }} }}", OWN_PROVIDER_OBJECT),
    # curation (docs/CURATION.md): STAFF only; each refused before any lookup
    "reviewProvider": Check('mutation { reviewProvider(input: {providerId: "{service_provider}", '
                            'decision: SUSPEND, '
                            'reason: "矩阵{n}"}) { errors { code field message } } }', STAFF_ONLY),
    "verifyCertification": Check('mutation { verifyCertification(input: {providerId: "{provider}", '
                                 'certification: "CERT.IATF16949", verification: VERIFIED, evidence: "证书{n}"}) '
                                 "{ errors { code field message } } }", STAFF_ONLY),
    # no unverified term in the world: staff get NOT_FOUND for the placeholder key
    "mapTerm": Check('mutation { mapTerm(input: {term: "matrix-no-such-term", code: "P.CAST"}) '
                     "{ errors { code field message } } }",
                     roles("FORBIDDEN", anonymous="UNAUTHENTICATED", staff="NOT_FOUND")),
    "createTermNode": Check('mutation { createTermNode(input: {term: "matrix-no-such-term", code: "P.CAST.MATRIX", '
                            'name: "矩阵"}) { errors { code field message } } }',
                            roles("FORBIDDEN", anonymous="UNAUTHENTICATED", staff="NOT_FOUND")),
    "publishEdition": Check('mutation { publishEdition(input: {title: "矩阵名录{n}"}) '
                            "{ errors { code field message } } }", STAFF_ONLY),
}

# --------------------------------------------------------------------------------- object fields
# Every field of every object and interface type is declared: PUBLIC (anyone who can reach the object
# reads it), GUARDED (the object itself is private; who reaches it is the QUERY rule named), or
# PRIVATE below with its own check.


@dataclass(frozen=True)
class Fields:
    names: str  # space-separated field names
    why: str = ""
    guarded_by: str | None = None  # the QUERY key whose rule decides who reaches the object

    @property
    def set(self) -> set[str]:
        return set(self.names.split())


def public(names: str, why: str = "") -> Fields:
    return Fields(names, why)


def guarded(names: str, by: str) -> Fields:
    return Fields(names, guarded_by=by)


_PROVIDER = "id name kind creditCode description website rating createdAt region industries sharingModes " \
            "certifications capabilities tags listingStatus ratingSummary fulfilment"
_PAYLOAD_FIELDS = "errors unresolved clientMutationId"

TYPES: dict[str, Fields] = {
    # the public directory (docs/API.md: anonymous reads providers, statements, published offers,
    # certifications held). The credit code of a provider is public registry data (统一社会信用代码).
    "Node": public("id"),
    "Provider": public(_PROVIDER, "directory"),
    "Manufacturer": public(_PROVIDER, "directory"),
    "ServiceProvider": public(_PROVIDER, "directory"),
    "ProviderConnection": public("pageInfo edges totalCount"),
    "ProviderEdge": public("cursor node"),
    "ProviderSearchHit": public("provider score sources"),
    "CapabilityStatement": public("id text createdAt capabilities provider", "directory"),
    "CapacityOffer": public("id processText description monthlyVolume unit availableFrom availableTo leadTimeDays moq "
                            "bookedVolume status createdAt processes material materials provider",
                            "published offers are public; withdrawn ones are reached only as PRIVATE below"),
    "HeldCertification": public("certification status validUntil verification verifiedAt",
                                "directory; the verdict is public, its evidence and author PRIVATE below"),
    "MaterialLink": public("material text confidence method", "as CapabilityLink; on offers and needs"),
    # deals: a provider's track record is public beside `rating` (docs/DEALS.md)
    "RatingSummary": public("mean count prior quality delivery communication", "aggregate of ratings"),
    "Fulfilment": public("score status summary windowFrom windowTo deals parts", "aggregate of deals"),
    "FulfilmentPart": public("name weight value count detail", "aggregate of deals"),
    "CapabilityLink": public("capability confidence method"),
    "PageInfo": public("hasNextPage hasPreviousPage startCursor endCursor"),
    "Statistics": public("providers manufacturers serviceProviders capabilityStatements capacityOffers enterprises "
                         "needs openNeeds matches capabilities materials certifications industries regions "
                         "sharingModes", "aggregate counts, no object"),
    "UserError": public("code field message"),
    # reference data
    "Capability": public("id code nameZh nameEn kind level aliases description parent children path", "reference"),
    "Certification": public("id code name aliases", "reference"),
    "Industry": public("id code nameZh nameEn aliases pillar", "reference"),
    "Material": public("id code nameZh nameEn aliases parent", "reference"),
    "Region": public("id code nameZh nameEn level aliases lat lon partOf parts", "reference"),
    "SharingMode": public("id code nameZh nameEn description", "reference"),
    # private objects: reached only through the rule named
    "Enterprise": guarded("id name size description createdAt region industries needs", "enterprises"),
    "EnterpriseConnection": guarded("pageInfo edges totalCount", "enterprises"),
    "EnterpriseEdge": guarded("cursor node", "enterprises"),
    "Need": guarded("id kind title description quantity unit deadline budgetMin budgetMax status createdAt updatedAt "
                    "capabilities material materials requiredCertifications requireVerified regions enterprise",
                    "needs"),
    "NeedConnection": guarded("pageInfo edges totalCount", "needs"),
    "NeedEdge": guarded("cursor node", "needs"),
    "Viewer": guarded("role authenticated enterprise provider", "viewer"),
    "Match": guarded("id score status reason computedAt decidedAt bookedVolume asOf explanation provider offer "
                     "response history cancellation ratings", "matches"),
    "MatchTransition": guarded("from to by at note", "matches"),
    "Rating": guarded("by at quality delivery communication clarity payment comment", "matches"),
    "Response": guarded("id needId needTitle needStatus providerId provider interest price currency leadTimeDays "
                        "validUntil message offer revision matchId matchStatus createdAt updatedAt", "responses"),
    # curation: STAFF only
    "ReviewItem": guarded("provider listingStatus registeredAt candidates", "reviewQueue"),
    "DuplicateCandidate": guarded("provider similarity", "reviewQueue"),
    "UnverifiedTerm": guarded("key text kind mentions byLabel firstSeen", "unverifiedTerms"),
    "TermMentions": guarded("label count", "unverifiedTerms"),
    "AuditLogPage": guarded("events nextCursor", "auditLog"),
    "AuditEvent": guarded("id at actor action target before after", "auditLog"),
    "Edition": guarded("number title category region providerCount publishedAt publishedBy csvUrl xlsxUrl",
                       "editions"),
    "ExpiringCertification": guarded("provider certification validUntil daysLeft verification",
                                     "expiringCertifications"),
    "ListingEvent": public("at fromStatus toStatus decision reason actor",
                           "reached only through Provider.listingHistory, PRIVATE below"),
    "MatchConnection": guarded("edges pageInfo totalCount asOf recomputed computedAt", "matches"),
    "MatchEdge": guarded("cursor node", "matches"),
    "MatchExplanation": guarded("summary capability similarity constraints scoreParts penalty offer", "matches"),
    "CapabilityMatch": guarded("needCode needName needPath providerCode providerName providerPath relation method "
                               "confidence source sourceId sourceText", "matches"),
    "Similarity": guarded("source id text cosine", "matches"),
    "ConstraintCheck": guarded("name passed detail", "matches"),
    "ScorePart": guarded("name weight value contribution detail", "matches"),
    "OfferFeasibility": guarded("offerId monthlyVolume unit moq leadTimeDays bookedVolume availableFrom availableTo "
                                "productionStart productionEnd productionDays deliverable", "matches"),
    "ConsortiumProposals": guarded("needId asOf singleProviderFeasible reason proposals", "consortia"),
    "Consortium": guarded("members quantity score explanation", "consortia"),
    "ConsortiumMember": guarded("share deliverable score provider offer", "consortia"),
    "OpportunityConnection": guarded("edges pageInfo totalCount asOf", "opportunities"),
    "OpportunityEdge": guarded("cursor node", "opportunities"),
    "Opportunity": guarded("need enterprise score matchId matchStatus explanation", "opportunities"),
    "OpportunityNeed": guarded("id kind title description quantity unit deadline requiredCertifications regions "
                               "capabilities", "opportunities"),
    "OpportunityEnterprise": guarded("id name", "opportunities"),
    "StaffReportSet": guarded("scope gap unmatchedNeeds coverage funnel enterprisesServed topProviders",
                              "staffReports"),
    "GapCell": guarded("key label categoryCode category needs openNeeds matchedNeeds providers offers", "staffReports"),
    "UnmatchedNeeds": guarded("total needs", "staffReports"),
    "UnmatchedNeed": guarded("needId title kind postedAt enterprise region capabilities listedProviders "
                             "feasibleProviders eliminated reasons", "staffReports"),
    "Eliminations": guarded("noCapability kind certification region unit window moq volume", "staffReports"),
    "CoverageCell": guarded("regionCode region capabilityCode capability providers openNeeds", "staffReports"),
    "FunnelBucket": guarded("bucket posted matched accepted contracted completed cancelled rejected matchStatuses",
                            "staffReports"),
    "StatusCount": guarded("status count", "staffReports"),
    "EnterprisesServed": guarded("total byRegion bySize", "staffReports"),
    "ServedGroup": guarded("key label enterprises", "staffReports"),
    "TopProvider": guarded("providerId name kind rating region completed accepted matches", "staffReports"),
    # mutation payloads: what they return is the caller's own result (the MUTATION rule decides who gets one)
    "AddCapabilityPayload": public(f"{_PAYLOAD_FIELDS} capabilityStatement provider"),
    "RemoveCapabilityPayload": public(f"{_PAYLOAD_FIELDS} removedId provider"),
    "UpdateProviderPayload": public(f"{_PAYLOAD_FIELDS} provider"),
    "CapacityOfferPayload": public(f"{_PAYLOAD_FIELDS} capacityOffer"),
    "NeedPayload": public(f"{_PAYLOAD_FIELDS} need"),
    "MatchDecisionPayload": public("match errors clientMutationId"),
    "RegisterEnterprisePayload": public(f"{_PAYLOAD_FIELDS} enterprise"),
    "RegisterProviderPayload": public(f"{_PAYLOAD_FIELDS} provider"),
    "RespondToNeedPayload": public("response errors clientMutationId"),
    "ReviewProviderPayload": public("listingStatus provider errors"),
    "VerifyCertificationPayload": public("verification provider errors"),
    "MapTermPayload": public("code relinked errors"),
    "PublishEditionPayload": public("edition errors"),
}

_CONTACT_OF = '{{ node(id: "{{{who}}}") {{ ... on Provider {{ contactName contactPhone contactEmail }} }} }}'
_ENTERPRISE = '{ node(id: "{enterprise}") { ... on Enterprise { creditCode contactName contactPhone contactEmail } } }'
_OPPORTUNITY = ('{ opportunities(providerId: "{provider}") { edges { node { enterprise { contactName contactPhone '
                "contactEmail } } } } }")
# staff see what the provider sees here (docs/MATCHING.md §6); they read contacts on the Enterprise itself
_OPPORTUNITY_EXPECT = roles("FORBIDDEN", anonymous="UNAUTHENTICATED", provider_owner="BLIND", staff="BLIND")
_CONTACTS = ("contactName", "contactPhone", "contactEmail")
_LISTING_HISTORY = '{ node(id: "{{who}}") { ... on Provider { listingHistory { reason } } } }'



def _who(type_name: str) -> str:
    return "service_provider" if type_name == "ServiceProvider" else "provider"


def _secret(type_name: str) -> str:
    return "service" if type_name == "ServiceProvider" else "provider"



@dataclass(frozen=True)
class Private:
    check: Check | None = None
    once: str | None = None  # a special rule the test checks on its own (named here)
    notes: list[str] = field(default_factory=list)


PRIVATE: dict[str, Private] = {
    # contact fields: tokens only (docs/API.md: anonymous reads no contact fields)
    **{f"{t}.{f}": Private(Check(_CONTACT_OF.format(who=_who(t)), TOKEN_HOLDERS, f"{{{_secret(t)}_{f}}}"))
       for t in ("Provider", "Manufacturer", "ServiceProvider") for f in _CONTACTS},
    # an enterprise is seen by itself and staff only (and so its credit code and contacts)
    **{f"Enterprise.{f}": Private(Check(_ENTERPRISE, OWNER_AND_STAFF, f"{{enterprise_{f}}}"))
       for f in ("creditCode", "contactName", "contactPhone", "contactEmail")},
    # withdrawn offers: the manufacturer itself and staff
    "Manufacturer.capacityOffers": Private(Check(
        '{ node(id: "{provider}") { ... on Manufacturer { capacityOffers(includeWithdrawn: true) { id } } } }',
        PROVIDER_OWNER_AND_STAFF, "{withdrawn_offer}")),
    # a provider sees its match but not the need behind it (it sees needs through `opportunities`)
    "Match.need": Private(Check('{ matches(needId: "{need}") { edges { node { need { id } } } } }',
                                roles("NOT_FOUND", anonymous="UNAUTHENTICATED", enterprise_owner="SEES", staff="SEES",
                                      provider_owner="BLIND"), "{need}")),
    # the enterprise behind an opportunity: contacts only once it accepted this provider (none here)
    **{f"OpportunityEnterprise.{f}": Private(Check(_OPPORTUNITY, _OPPORTUNITY_EXPECT, f"{{enterprise_{f}}}"))
       for f in ("contactName", "contactPhone", "contactEmail")},
    # a listing's history: the provider itself and staff (empty for others; docs/API.md "Staff")
    **{f"{t}.listingHistory": Private(Check(
        _LISTING_HISTORY.replace("{who}", _who(t)),
        roles("BLIND", **{"provider_owner" if t != "ServiceProvider" else "provider_other": "SEES",
                          "staff": "SEES"}),
        f"{{{_secret(t)}_listing_reason}}")) for t in ("Provider", "Manufacturer", "ServiceProvider")},
    # a certificate's evidence and who verified it: the provider itself and staff (the verdict is public)
    **{f"HeldCertification.{f}": Private(Check(
        '{ node(id: "{provider}") { ... on Provider { certifications { evidence verifiedBy } } } }',
        PROVIDER_OWNER_AND_STAFF, f"{{{place}}}")) for f, place in (("evidence", "cert_evidence"),
                                                                     ("verifiedBy", "cert_verified_by"))},
    # the first token is shown once: a replayed registration (same clientMutationId and input) gets null
    "RegisterEnterprisePayload.token": Private(once="token shown once"),
    "RegisterProviderPayload.token": Private(once="token shown once"),
}
