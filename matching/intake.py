"""What organisations submit, turned into graph writes: check, resolve, link, embed, write.

Every command follows the same steps, and the API's mutations are thin calls into them:

1. **who** — the viewer's role gates the command (UNAUTHENTICATED without a token, FORBIDDEN for the
   wrong role), before anything about an object is revealed;
2. **replay** — with a client mutation id, a command already done returns its first result;
3. **check** — :mod:`matching.validation` rules; any error and nothing is written;
4. **resolve** — what people typed becomes codes: a code is taken as it is, otherwise the name or
   alias is looked up (``TaxonomyLinker``); a term that names nothing is an UNRESOLVED error and is
   listed in ``unresolved``. Free text is linked to the capability taxonomy (codes, aliases, then
   embeddings); text that links to nothing is still stored and is listed in ``unresolved``;
5. **embed** — capability statements and offers as passages, needs as queries — before the
   transaction opens, so no transaction waits on the model;
6. **write** — one transaction: the object check (NOT_FOUND when the viewer may not see the object,
   FORBIDDEN when it may see but not change it), the writes and the idempotency record commit whole
   or not at all.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from neo4j.exceptions import ConstraintError

from graph.db import Database, Tx
from graph.repositories import (
    capability_statements,
    capacity_offers,
    client_mutations,
    enterprises,
    lookups,
    needs,
    providers,
    tokens,
)
from graph.repositories import matching as matching_repo
from graph.viewer import Viewer
from matching.deals import lifecycle
from matching.embedding import Embedder
from matching.engine import MatchingError
from matching.freshness import today  # one "today" for validation and feasibility (GONGXU_TODAY pins it)
from matching.linking import Link, TaxonomyLinker
from matching.validation import (
    ErrorCode,
    UserError,
    check_client_mutation_id,
    check_need,
    check_offer,
    check_organisation,
    check_statement,
)

CERTIFICATION_STATUSES = ("ACTIVE", "IN_PROGRESS", "EXPIRED")
NEED_KINDS = {"SERVICE": "SERVICE", "CAPACITY": "PROCESS"}  # need kind -> capability kind it links to
PROVIDER_KINDS = {"SERVICE_PROVIDER": "SERVICE", "MANUFACTURER": None}  # statements of manufacturers: any kind


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


@dataclass
class Outcome:
    """What a command did: the id of its object (None if refused), errors, unresolved input."""

    id: str | None = None
    errors: list[UserError] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    token: str | None = None  # a new organisation's API token, in plaintext, once
    replayed: bool = False
    owner_id: str | None = None  # the organisation the object belongs to (e.g. a removed statement's provider)

    @property
    def ok(self) -> bool:
        return not self.errors


class Refused(Exception):
    """Raised inside a write transaction to roll it back with user errors."""

    def __init__(self, *errors: UserError):
        super().__init__(errors[0].message if errors else "refused")
        self.errors = list(errors)


def idempotency_key(viewer: Viewer, mutation: str, client_mutation_id: str) -> str:
    """Same token (or anonymous), same mutation, same client id → same key."""
    principal = viewer.token_id or "anonymous"
    return hashlib.sha256(f"{principal}\x00{mutation}\x00{client_mutation_id}".encode()).hexdigest()


@dataclass(frozen=True)
class Term:
    """A reference-data term as typed, and where it came from."""

    label: str  # Region, Certification, Material, Industry, SharingMode
    field: str
    text: str


_RESOLVERS = {
    "Region": "resolve_region",
    "Certification": "resolve_certification",
    "Material": "resolve_material",
    "Industry": "resolve_industry",
}


def _vector(values: Any) -> list[float]:
    return [float(x) for x in values]


class Intake:
    """The write commands. One instance per request (it holds nothing between requests)."""

    def __init__(self, db: Database, embedder: Embedder, linker: TaxonomyLinker):
        self.db = db
        self.embedder = embedder
        self.linker = linker

    # ---------------------------------------------------------------------------------- plumbing

    @staticmethod
    def _gate(viewer: Viewer, role: str | None, what: str) -> UserError | None:
        if role is None:
            return None
        if not viewer.authenticated:
            return UserError(ErrorCode.UNAUTHENTICATED, None, f"{what} needs an API token (Authorization: Bearer …)")
        if viewer.role != role:
            return UserError(ErrorCode.FORBIDDEN, None, f"{what} needs a {role} token, not {viewer.role}")
        return None

    async def _run(self, viewer: Viewer, mutation: str, client_mutation_id: str | None, role: str | None,
                   what: str, command: Callable[[Outcome], Awaitable[Callable[[Tx], Awaitable[None]] | None]],
                   result_id: str | None = None) -> Outcome:
        """Gate, replay, then ``command`` (checks, resolves, embeds) returns the transaction's work.

        ``command`` fills ``outcome`` (errors, unresolved, id) and returns the work to run in one
        write transaction, or None when it refused. The idempotency record joins that transaction.
        """
        outcome = Outcome()
        denied = self._gate(viewer, role, what)
        if denied:
            outcome.errors.append(denied)
            return outcome
        key = None
        if client_mutation_id:
            outcome.errors += check_client_mutation_id(client_mutation_id)
            if outcome.errors:
                return outcome
            key = idempotency_key(viewer, mutation, client_mutation_id)
            first = await client_mutations.find(self.db, key)
            if first is not None:
                return Outcome(id=first, replayed=True)
        work = await command(outcome)
        if work is None or outcome.errors:
            return outcome

        async def transaction(tx: Tx) -> None:
            await work(tx)
            await matching_repo.bump_data_version(tx)  # stored match lists are stale from now on
            if key is not None:
                await client_mutations.record(tx, key, result_id or outcome.id or "")

        try:
            await self.db.write_tx(transaction)
        except Refused as refused:
            outcome.errors += refused.errors
            outcome.id = None
            outcome.token = None
        except ConstraintError:
            # a concurrent re-send with the same key committed first: answer as a replay
            first = await client_mutations.find(self.db, key) if key else None
            if first is None:
                raise
            return Outcome(id=first, replayed=True)
        return outcome

    async def _resolve(self, terms: list[Term], outcome: Outcome) -> dict[str, str]:
        """field -> code for each term; errors and ``unresolved`` for those that name nothing."""
        if not terms:
            return {}
        known = await lookups.known_codes(self.db, [(t.label, t.text.strip()) for t in terms])
        sharing_names = [t.text for t in terms if t.label == "SharingMode"]
        sharing = await lookups.codes_by_name(self.db, "SharingMode", sharing_names) if sharing_names else {}
        found: dict[str, str] = {}
        for term in terms:
            text = term.text.strip()
            code: str | None = text if (term.label, text) in known else None
            if code is None and term.label == "SharingMode":
                code = sharing.get(term.text)
            if code is None and term.label in _RESOLVERS:
                code = getattr(self.linker, _RESOLVERS[term.label])(text).code
            if code is None:
                outcome.unresolved.append(term.text)
                outcome.errors.append(UserError(ErrorCode.UNRESOLVED, term.field,
                                                f"{term.text!r} names no known {_LABEL_WORDS[term.label]}"))
            else:
                found[term.field] = code
        return found

    async def resolve_term(self, label: str, text: str) -> str | None:
        """One code for a term as typed (a code, a name or an alias), or None; for filters."""
        text = text.strip()
        if not text:
            return None
        if await lookups.known_codes(self.db, [(label, text)]):
            return text
        if label == "Capability":
            return self.linker.capability_aliases.resolve(text)
        if label == "SharingMode":
            return (await lookups.codes_by_name(self.db, label, [text])).get(text)
        return getattr(self.linker, _RESOLVERS[label])(text).code

    async def _check_capability_codes(self, fields_codes: list[tuple[str, list[str]]], outcome: Outcome) -> None:
        wanted = [("Capability", code) for _field, codes in fields_codes for code in codes]
        known = await lookups.known_codes(self.db, wanted)
        for field_name, codes in fields_codes:
            for index, code in enumerate(codes):
                if ("Capability", code) not in known:
                    outcome.errors.append(UserError(ErrorCode.UNKNOWN_CODE, f"{field_name}.{index}",
                                                    f"{code!r} is not a capability code"))

    async def _link(self, texts: list[str], kind: str | None, declared: list[list[str]],
                    outcome: Outcome) -> list[list[dict[str, Any]]]:
        """Taxonomy links per text; text that links to nothing is reported in ``unresolved``."""
        found = await self.linker.link_capabilities(texts, kind=kind, declared=declared)
        result = []
        for text, links in zip(texts, found, strict=True):
            if not links:
                outcome.unresolved.append(text)
            result.append([_link_row(link) for link in links])
        return result

    # ------------------------------------------------------------------------------ organisations

    async def register_enterprise(self, viewer: Viewer, data: dict[str, Any],
                                  client_mutation_id: str | None = None) -> Outcome:
        """Anyone may register; the result carries the new enterprise's first API token."""

        async def command(outcome: Outcome) -> Callable[[Tx], Awaitable[None]] | None:
            outcome.errors += check_organisation(data)
            if outcome.errors:
                return None
            codes = await self._resolve(_org_terms(data), outcome)
            if outcome.errors:
                return None
            enterprise_id = new_id("ent")
            issued = tokens.issue()
            row = {**{key: _blank_to_none(data.get(key)) for key in enterprises.PROFILE_PROPS},
                   "id": enterprise_id, "credit_code": data["credit_code"].strip(),
                   "region_codes": [codes["region"]] if "region" in codes else [],
                   "industry_codes": _indexed(codes, "industries", data.get("industries"))}

            async def work(tx: Tx) -> None:
                if await enterprises.id_by_credit_code(tx, row["credit_code"]):
                    raise Refused(UserError(ErrorCode.DUPLICATE, "credit_code",
                                            f"an enterprise with credit code {row['credit_code']} is registered"))
                await enterprises.create(tx, row)
                await tokens.create(tx, issued.id, issued.hash, "ENTERPRISE", enterprise_id)

            outcome.id, outcome.token = enterprise_id, issued.secret
            return work

        return await self._run(viewer, "registerEnterprise", client_mutation_id, None, "registering", command)

    async def register_provider(self, viewer: Viewer, data: dict[str, Any],
                                client_mutation_id: str | None = None) -> Outcome:
        """Anyone may register; optional first capability statements are linked and embedded too."""

        async def command(outcome: Outcome) -> Callable[[Tx], Awaitable[None]] | None:
            outcome.errors += check_organisation(data)
            if data.get("kind") not in PROVIDER_KINDS:
                outcome.errors.append(UserError(ErrorCode.INVALID, "kind",
                                                f"kind must be one of {', '.join(PROVIDER_KINDS)}"))
            statements = data.get("capabilities") or []
            for index, statement in enumerate(statements):
                outcome.errors += check_statement(statement, f"capabilities.{index}.")
            outcome.errors += _check_held(data.get("certifications"))
            if outcome.errors:
                return None
            codes = await self._resolve(_org_terms(data), outcome)
            await self._check_capability_codes(
                [(f"capabilities.{i}.capability_codes", s.get("capability_codes") or [])
                 for i, s in enumerate(statements)], outcome)
            if outcome.errors:
                return None
            provider_id = new_id("prv")
            statement_rows = await self._statement_rows(statements, PROVIDER_KINDS[data["kind"]], outcome)
            issued = tokens.issue()
            row = {**{key: _blank_to_none(data.get(key)) for key in providers.PROFILE_PROPS},
                   "id": provider_id, "kind": data["kind"], "credit_code": data["credit_code"].strip()}
            links = _provider_links(data, codes)

            async def work(tx: Tx) -> None:
                if await providers.id_by_credit_code(tx, row["credit_code"]):
                    raise Refused(UserError(ErrorCode.DUPLICATE, "credit_code",
                                            f"a provider with credit code {row['credit_code']} is registered"))
                await providers.create(tx, row)
                await _write_provider_links(tx, provider_id, links)
                for statement in statement_rows:
                    await capability_statements.create(tx, provider_id, statement)
                await tokens.create(tx, issued.id, issued.hash, "PROVIDER", provider_id)

            outcome.id, outcome.token = provider_id, issued.secret
            return work

        return await self._run(viewer, "registerProvider", client_mutation_id, None, "registering", command)

    async def update_provider(self, viewer: Viewer, provider_id: str, changes: dict[str, Any],
                              client_mutation_id: str | None = None) -> Outcome:
        """Change the provider's own profile; lists given replace the stored ones."""

        async def command(outcome: Outcome) -> Callable[[Tx], Awaitable[None]] | None:
            outcome.errors += check_organisation(changes, partial=True)
            outcome.errors += _check_held(changes.get("certifications"))
            if outcome.errors:
                return None
            codes = await self._resolve(_org_terms(changes), outcome)
            if outcome.errors:
                return None
            props = {key: _blank_to_none(changes[key]) for key in providers.PROFILE_PROPS
                     if key in changes and key != "credit_code"}
            links = _provider_links(changes, codes)

            async def work(tx: Tx) -> None:
                await _require(await providers.access(tx, provider_id, viewer), "provider", provider_id)
                await providers.update(tx, provider_id, props)
                await _write_provider_links(tx, provider_id, links)

            outcome.id = provider_id
            return work

        return await self._run(viewer, "updateProvider", client_mutation_id, "PROVIDER", "updating a provider",
                               command)

    # ------------------------------------------------------------------------------ capabilities

    async def _statement_rows(self, statements: list[dict[str, Any]], kind: str | None,
                              outcome: Outcome) -> list[dict[str, Any]]:
        if not statements:
            return []
        texts = [s["text"].strip() for s in statements]
        links = await self._link(texts, kind, [s.get("capability_codes") or [] for s in statements], outcome)
        vectors = await self.embedder.aencode_passages(texts)
        return [{"id": new_id("cst"), "text": text, "links": text_links, "embedding": _vector(vector)}
                for text, text_links, vector in zip(texts, links, vectors, strict=True)]

    async def add_capability(self, viewer: Viewer, data: dict[str, Any],
                             client_mutation_id: str | None = None) -> Outcome:
        """A capability statement of the viewer's provider: free text, optionally with taxonomy codes."""

        async def command(outcome: Outcome) -> Callable[[Tx], Awaitable[None]] | None:
            outcome.errors += check_statement(data)
            if outcome.errors:
                return None
            await self._check_capability_codes([("capability_codes", data.get("capability_codes") or [])], outcome)
            if outcome.errors:
                return None
            provider_id = viewer.org_id or ""
            kind = await self.db.read_tx(lambda tx: providers.kind_of(tx, provider_id))
            if kind is None:
                outcome.errors.append(UserError(ErrorCode.NOT_FOUND, None, "the token's provider no longer exists"))
                return None
            [statement] = await self._statement_rows([data], PROVIDER_KINDS[kind], outcome)

            async def work(tx: Tx) -> None:
                await _require(await providers.access(tx, provider_id, viewer), "provider", provider_id)
                await capability_statements.create(tx, provider_id, statement)

            outcome.id, outcome.owner_id = statement["id"], provider_id
            return work

        return await self._run(viewer, "addCapability", client_mutation_id, "PROVIDER", "adding a capability",
                               command)

    async def remove_capability(self, viewer: Viewer, statement_id: str,
                                client_mutation_id: str | None = None) -> Outcome:

        async def command(outcome: Outcome) -> Callable[[Tx], Awaitable[None]] | None:
            async def work(tx: Tx) -> None:
                await _require(await capability_statements.access(tx, statement_id, viewer),
                               "capability statement", statement_id)
                outcome.owner_id = await capability_statements.delete(tx, statement_id)

            outcome.id = statement_id
            return work

        return await self._run(viewer, "removeCapability", client_mutation_id, "PROVIDER",
                               "removing a capability", command)

    # ---------------------------------------------------------------------------- capacity offers

    async def _offer_parts(self, data: dict[str, Any], changed: set[str] | None,
                           outcome: Outcome) -> dict[str, Any]:
        """Material code, process links and embedding, for the fields that are new or changed (None: all)."""

        terms = []
        if touched(changed, "material") and data.get("material"):
            terms.append(Term("Material", "material", data["material"]))
        codes = await self._resolve(terms, outcome)
        if touched(changed, "capability_codes") and data.get("capability_codes"):
            await self._check_capability_codes([("capability_codes", data["capability_codes"])], outcome)
        if outcome.errors:
            return {}
        parts: dict[str, Any] = {}
        if touched(changed, "material"):
            parts["material_code"] = codes.get("material")
        if touched(changed, "process_text", "capability_codes"):
            [parts["links"]] = await self._link([data["process_text"].strip()], "PROCESS",
                                                [data.get("capability_codes") or []], outcome)
        if touched(changed, "process_text", "description"):
            text = "\n".join(t for t in (data.get("process_text"), data.get("description")) if t)
            parts["embedding"] = _vector((await self.embedder.aencode_passages([text]))[0])
        return parts

    async def publish_offer(self, viewer: Viewer, data: dict[str, Any],
                            client_mutation_id: str | None = None) -> Outcome:
        """A manufacturer's capacity offer, published at once."""

        async def command(outcome: Outcome) -> Callable[[Tx], Awaitable[None]] | None:
            outcome.errors += check_offer(data)
            if outcome.errors:
                return None
            provider_id = viewer.org_id or ""
            kind = await self.db.read_tx(lambda tx: providers.kind_of(tx, provider_id))
            if kind != "MANUFACTURER":
                outcome.errors.append(UserError(ErrorCode.FORBIDDEN, None,
                                                "only a manufacturer publishes capacity offers"))
                return None
            parts = await self._offer_parts(data, None, outcome)
            if outcome.errors:
                return None
            offer = {**{key: data.get(key) for key in capacity_offers.OFFER_PROPS}, **parts, "id": new_id("off"),
                     "process_text": data["process_text"].strip()}

            async def work(tx: Tx) -> None:
                await _require(await providers.access(tx, provider_id, viewer), "provider", provider_id)
                await capacity_offers.create(tx, provider_id, offer)

            outcome.id, outcome.owner_id = offer["id"], provider_id
            return work

        return await self._run(viewer, "publishCapacityOffer", client_mutation_id, "PROVIDER",
                               "publishing capacity", command)

    async def update_offer(self, viewer: Viewer, offer_id: str, changes: dict[str, Any],
                           client_mutation_id: str | None = None) -> Outcome:

        async def command(outcome: Outcome) -> Callable[[Tx], Awaitable[None]] | None:
            access, stored = await self.db.read_tx(lambda tx: capacity_offers.current(tx, offer_id, viewer))
            if not _allowed(access, "capacity offer", offer_id, outcome):
                return None
            assert stored is not None
            if stored["status"] != "PUBLISHED":
                outcome.errors.append(UserError(ErrorCode.INVALID_STATE, None, "a withdrawn offer cannot change"))
                return None
            merged = {**stored, **changes}
            outcome.errors += check_offer(merged, changed=set(changes))
            if outcome.errors:
                return None
            if "capability_codes" not in changes:
                merged["capability_codes"] = [link["code"] for link in stored["links"] if link["method"] == "CODE"]
            parts = await self._offer_parts(merged, set(changes), outcome)
            if outcome.errors:
                return None
            props = {key: changes[key] for key in capacity_offers.OFFER_PROPS if key in changes}
            if "process_text" in props:
                props["process_text"] = props["process_text"].strip()

            async def work(tx: Tx) -> None:
                again, _ = await capacity_offers.current(tx, offer_id, viewer)
                await _require(again, "capacity offer", offer_id)
                if touched(set(changes), "monthly_volume", "unit", "available_from", "available_to",
                           "lead_time_days"):
                    await _refusing(lifecycle.check_offer_cut(tx, offer_id, stored, merged, today()))
                await capacity_offers.update(tx, offer_id, props, parts.get("embedding"))
                if "links" in parts:
                    await capacity_offers.replace_process_links(tx, offer_id, parts["links"])
                if "material_code" in parts:
                    await capacity_offers.replace_material(tx, offer_id, parts["material_code"])

            outcome.id, outcome.owner_id = offer_id, stored["provider_id"]
            return work

        return await self._run(viewer, "updateCapacityOffer", client_mutation_id, "PROVIDER",
                               "updating capacity", command)

    async def withdraw_offer(self, viewer: Viewer, offer_id: str, client_mutation_id: str | None = None) -> Outcome:

        async def command(outcome: Outcome) -> Callable[[Tx], Awaitable[None]] | None:
            async def work(tx: Tx) -> None:
                access, stored = await capacity_offers.current(tx, offer_id, viewer)
                await _require(access, "capacity offer", offer_id)
                assert stored is not None
                if stored["status"] != "PUBLISHED":
                    raise Refused(UserError(ErrorCode.INVALID_STATE, None, "the offer is already withdrawn"))
                await lifecycle.cancel_for_withdrawn_offer(tx, viewer, offer_id)  # releases their capacity
                await capacity_offers.set_status(tx, offer_id, "WITHDRAWN")

            outcome.id = offer_id
            return work

        return await self._run(viewer, "withdrawCapacityOffer", client_mutation_id, "PROVIDER",
                               "withdrawing capacity", command)

    # -------------------------------------------------------------------------------------- needs

    async def _need_parts(self, data: dict[str, Any], changed: set[str] | None,
                          outcome: Outcome) -> dict[str, Any]:
        """Codes, links and embedding of a need, for the fields that are new or changed (None: all)."""

        terms: list[Term] = []
        if touched(changed, "material") and data.get("material"):
            terms.append(Term("Material", "material", data["material"]))
        if touched(changed, "required_certifications"):
            terms += [Term("Certification", f"required_certifications.{i}", text)
                      for i, text in enumerate(data.get("required_certifications") or [])]
        if touched(changed, "regions"):
            terms += [Term("Region", f"regions.{i}", text) for i, text in enumerate(data.get("regions") or [])]
        codes = await self._resolve(terms, outcome)
        if touched(changed, "capability_codes") and data.get("capability_codes"):
            await self._check_capability_codes([("capability_codes", data["capability_codes"])], outcome)
        if outcome.errors:
            return {}
        parts: dict[str, Any] = {}
        if touched(changed, "material"):
            parts["material_code"] = codes.get("material")
        if touched(changed, "required_certifications"):
            parts["certification_codes"] = _distinct(
                _indexed(codes, "required_certifications", data.get("required_certifications")))
        if touched(changed, "regions"):
            parts["region_codes"] = _distinct(_indexed(codes, "regions", data.get("regions")))
        text = "\n".join(t for t in (data.get("title"), data.get("description")) if t)
        if touched(changed, "title", "description", "capability_codes"):
            # a need is encoded as a query both for linking and for matching: one model call serves both
            vector = (await self.embedder.aencode_queries([text]))[0]
            links = self.linker.link_vector(vector, text, NEED_KINDS[data["kind"]], data.get("capability_codes") or [])
            if not links:
                outcome.unresolved.append(text)
            parts["links"] = [_link_row(link) for link in links]
            if touched(changed, "title", "description"):
                parts["embedding"] = _vector(vector)
        return parts

    async def post_need(self, viewer: Viewer, data: dict[str, Any], client_mutation_id: str | None = None) -> Outcome:
        """A need of the viewer's enterprise; only a title is required."""

        async def command(outcome: Outcome) -> Callable[[Tx], Awaitable[None]] | None:
            outcome.errors += check_need(data, today())
            if outcome.errors:
                return None
            parts = await self._need_parts(data, None, outcome)
            if outcome.errors:
                return None
            need = {**{key: data.get(key) for key in needs.NEED_PROPS}, **parts, "id": new_id("ned"),
                    "title": data["title"].strip()}
            enterprise_id = viewer.org_id or ""

            async def work(tx: Tx) -> None:
                if not await enterprises.exists(tx, enterprise_id):
                    raise Refused(UserError(ErrorCode.NOT_FOUND, None, "the token's enterprise no longer exists"))
                await needs.create(tx, enterprise_id, need)

            outcome.id, outcome.owner_id = need["id"], enterprise_id
            return work

        return await self._run(viewer, "postNeed", client_mutation_id, "ENTERPRISE", "posting a need", command)

    async def update_need(self, viewer: Viewer, need_id: str, changes: dict[str, Any],
                          client_mutation_id: str | None = None) -> Outcome:

        async def command(outcome: Outcome) -> Callable[[Tx], Awaitable[None]] | None:
            stored = await self.db.read_tx(lambda tx: needs.current(tx, need_id, viewer))
            if not _allowed(None if stored is None else ("OWN" if stored["own"] else "READ"), "need", need_id,
                            outcome):
                return None
            assert stored is not None
            if stored["status"] != "OPEN":
                outcome.errors.append(UserError(ErrorCode.INVALID_STATE, None, "a closed need cannot change"))
                return None
            merged = {**stored, **changes}
            if "capability_codes" not in changes:
                merged["capability_codes"] = [link["code"] for link in stored["links"] if link["method"] == "CODE"]
            outcome.errors += check_need(merged, today(), changed=set(changes))
            if outcome.errors:
                return None
            parts = await self._need_parts(merged, set(changes), outcome)
            if outcome.errors:
                return None
            props = {key: changes[key] for key in needs.NEED_PROPS if key in changes}
            if "title" in props:
                props["title"] = props["title"].strip()

            async def work(tx: Tx) -> None:
                again = await needs.current(tx, need_id, viewer)
                await _require(None if again is None else ("OWN" if again["own"] else "READ"), "need", need_id)
                assert again is not None
                if again["status"] != "OPEN":
                    raise Refused(UserError(ErrorCode.INVALID_STATE, None, "a closed need cannot change"))
                await _refusing(lifecycle.check_need_change(tx, need_id, changes, again))
                await needs.update(tx, need_id, props, parts.get("embedding"))
                await needs.replace_links(tx, need_id, parts)

            outcome.id, outcome.owner_id = need_id, stored["enterprise_id"]
            return work

        return await self._run(viewer, "updateNeed", client_mutation_id, "ENTERPRISE", "updating a need", command)

    async def close_need(self, viewer: Viewer, need_id: str, client_mutation_id: str | None = None) -> Outcome:

        async def command(outcome: Outcome) -> Callable[[Tx], Awaitable[None]] | None:
            async def work(tx: Tx) -> None:
                stored = await needs.current(tx, need_id, viewer)
                await _require(None if stored is None else ("OWN" if stored["own"] else "READ"), "need", need_id)
                assert stored is not None
                if stored["status"] != "OPEN":
                    raise Refused(UserError(ErrorCode.INVALID_STATE, None, "the need is already closed"))
                await lifecycle.cancel_for_closed_need(tx, viewer, need_id)  # releases their capacity
                await needs.set_status(tx, need_id, "CLOSED")

            outcome.id = need_id
            return work

        return await self._run(viewer, "closeNeed", client_mutation_id, "ENTERPRISE", "closing a need", command)


# ------------------------------------------------------------------------------------------ helpers

_LABEL_WORDS = {"Region": "region", "Certification": "certification", "Material": "material",
                "Industry": "industry", "SharingMode": "sharing mode"}


def touched(changed: set[str] | None, *keys: str) -> bool:
    """True when one of ``keys`` is being written: all fields on create (``changed`` None), else the changed ones."""
    return changed is None or any(key in changed for key in keys)


def _link_row(link: Link) -> dict[str, Any]:
    return {"code": link.code, "confidence": float(link.confidence), "method": link.method}


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _distinct(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def _indexed(codes: dict[str, str], field_name: str, values: list[str] | None) -> list[str]:
    """The resolved codes of a list input, in input order (fields ``name.0``, ``name.1`` …)."""
    return [codes[f"{field_name}.{i}"] for i in range(len(values or [])) if f"{field_name}.{i}" in codes]


def _org_terms(data: dict[str, Any]) -> list[Term]:
    terms = []
    if data.get("region"):
        terms.append(Term("Region", "region", data["region"]))
    terms += [Term("Industry", f"industries.{i}", t) for i, t in enumerate(data.get("industries") or [])]
    terms += [Term("SharingMode", f"sharing_modes.{i}", t) for i, t in enumerate(data.get("sharing_modes") or [])]
    terms += [Term("Certification", f"certifications.{i}.certification", held["certification"])
              for i, held in enumerate(data.get("certifications") or [])]
    return terms


def _check_held(held: list[dict[str, Any]] | None) -> list[UserError]:
    errors = []
    for index, item in enumerate(held or []):
        if item.get("status", "ACTIVE") not in CERTIFICATION_STATUSES:
            errors.append(UserError(ErrorCode.INVALID, f"certifications.{index}.status",
                                    f"status must be one of {', '.join(CERTIFICATION_STATUSES)}"))
    return errors


def _provider_links(data: dict[str, Any], codes: dict[str, str]) -> dict[str, Any]:
    """Only the links whose input was given (an update leaves the others as they are)."""
    links: dict[str, Any] = {}
    if "region" in data:
        links["region_codes"] = [codes["region"]] if "region" in codes else []
    if "industries" in data:
        links["industry_codes"] = _distinct(_indexed(codes, "industries", data.get("industries")))
    if "sharing_modes" in data:
        links["sharing_mode_codes"] = _distinct(_indexed(codes, "sharing_modes", data.get("sharing_modes")))
    if "certifications" in data:
        held: dict[str, dict[str, Any]] = {}
        for index, item in enumerate(data.get("certifications") or []):
            code = codes.get(f"certifications.{index}.certification")
            if code:
                held[code] = {"code": code, "status": item.get("status") or "ACTIVE",
                              "valid_until": item.get("valid_until")}
        links["certifications"] = list(held.values())
    return links


async def _write_provider_links(tx: Tx, provider_id: str, links: dict[str, Any]) -> None:
    for name in ("region_codes", "industry_codes", "sharing_mode_codes"):
        if name in links:
            await providers.replace_links(tx, provider_id, name, links[name])
    if "certifications" in links:
        await providers.replace_certifications(tx, provider_id, links["certifications"])


def _allowed(access: str | None, what: str, object_id: str, outcome: Outcome) -> bool:
    if access is None:
        outcome.errors.append(UserError(ErrorCode.NOT_FOUND, "id", f"no {what} {object_id}"))
        return False
    if access != "OWN":
        outcome.errors.append(UserError(ErrorCode.FORBIDDEN, "id", f"this {what} belongs to another organisation"))
        return False
    return True


async def _refusing(check: Awaitable[None]) -> None:
    """Await a business check of ``matching.deals`` inside a transaction; its refusal becomes Refused."""
    try:
        await check
    except MatchingError as exc:
        raise Refused(UserError(ErrorCode(exc.code), exc.field, exc.message)) from None


async def _require(access: str | None, what: str, object_id: str) -> None:
    """Inside a transaction: roll back unless the viewer may change the object."""
    outcome = Outcome()
    if not _allowed(access, what, object_id, outcome):
        raise Refused(*outcome.errors)
