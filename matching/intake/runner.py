"""The one way every intake command runs: gate, replay, prepare, one write transaction.

A command is a :class:`Command` (its mutation name, the role it needs) and a ``prepare`` function
of its subject module. ``prepare`` checks, resolves, links and embeds — everything slow happens
before the transaction opens, so no transaction waits on the model — and returns a :class:`Plan`:
the new object's id and the ``write`` to run in the transaction. Any step refuses by raising
:class:`Refusal`; nothing is written then, and the refusal becomes the outcome's errors.

In order:

1. **gate** — UNAUTHENTICATED without a token, FORBIDDEN for the wrong role, before anything about
   an object is revealed;
2. **replay** — with a client mutation id, a command already done returns its first result;
3. **prepare** — the subject's checks (:mod:`matching.validation`), term resolution, linking, embedding;
4. **write** — one transaction: the object check (NOT_FOUND when the viewer may not see the object,
   FORBIDDEN when it may see but not change it), the writes, the freshness marks (what the write can change) and the
   idempotency record commit whole or not at all.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec

from neo4j.exceptions import ConstraintError

from graph.db import Database, Tx
from graph.repositories import client_mutations, freshness
from graph.viewer import Viewer
from matching.embedding import Embedder
from matching.engine import MatchingError
from matching.linking import TaxonomyLinker
from matching.validation import ErrorCode, UserError, check_client_mutation_id

P = ParamSpec("P")


@dataclass
class Outcome:
    """What a command did: the id of its object (None if refused), errors, unresolved input."""

    id: str | None = None
    errors: list[UserError] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    token: str | None = None  # a new organisation's API token, in plaintext, once
    owner_id: str | None = None  # the organisation the object belongs to (e.g. a removed statement's provider)

    @property
    def ok(self) -> bool:
        return not self.errors


class Refusal(Exception):
    """A command refused: raised anywhere in ``prepare`` or ``write``; nothing is written."""

    def __init__(self, *errors: UserError):
        super().__init__(errors[0].message if errors else "refused")
        self.errors = list(errors)

    @classmethod
    def of(cls, code: ErrorCode, message: str, field: str | None = None) -> Refusal:
        return cls(UserError(code, field, message))


async def refusing(check: Awaitable[None]) -> None:
    """Await a business rule of another domain (e.g. ``matching.deals``) inside a command; its
    ``MatchingError`` becomes this command's :class:`Refusal`."""
    try:
        await check
    except MatchingError as exc:
        raise Refusal.of(exc.code, exc.message, exc.field) from None


def refuse_if(errors: list[UserError]) -> None:
    """Raise the collected errors of a check, if any."""
    if errors:
        raise Refusal(*errors)


@dataclass(frozen=True)
class Command:
    """A command's identity: its mutation (keys replays), the role it needs, what it is (for messages)."""

    mutation: str
    role: str | None
    what: str


@dataclass
class Plan:
    """What ``prepare`` decided: the object's id and the write that makes it so.

    ``write`` runs inside the transaction; it may return the owner's id found there (a removed
    statement's provider), which then replaces ``owner_id``.
    """

    id: str
    write: Callable[[Tx], Awaitable[str | None]]
    token: str | None = None
    owner_id: str | None = None


@dataclass
class Step:
    """One command being run: who asks, the shared parts, and the input that named nothing."""

    intake: Intake
    viewer: Viewer
    unresolved: list[str] = field(default_factory=list)

    @property
    def db(self) -> Database:
        return self.intake.db

    @property
    def embedder(self) -> Embedder:
        return self.intake.embedder

    @property
    def linker(self) -> TaxonomyLinker:
        return self.intake.linker


Prepare = Callable[Concatenate[Step, P], Awaitable[Plan]]


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


def idempotency_key(viewer: Viewer, mutation: str, client_mutation_id: str, data: Any = None) -> str:
    """Same token, same mutation, same client id → same key. Anonymous keys also hash the input, so
    someone else's client id with other input is a new mutation, never a replay of theirs."""
    principal = viewer.token_id or "anonymous:" + hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()
    return hashlib.sha256(f"{principal}\x00{mutation}\x00{client_mutation_id}".encode()).hexdigest()


def gate(viewer: Viewer, command: Command) -> None:
    if command.role is None:
        return
    if not viewer.authenticated:
        raise Refusal.of(ErrorCode.UNAUTHENTICATED, f"{command.what} needs an API token (Authorization: Bearer …)")
    if viewer.role != command.role:
        raise Refusal.of(ErrorCode.FORBIDDEN, f"{command.what} needs a {command.role} token, not {viewer.role}")


def require(access: str | None, what: str, object_id: str) -> None:
    """The viewer may change the object: ``access`` is OWN. NOT_FOUND when unseen, FORBIDDEN when only read."""
    if access is None:
        raise Refusal.of(ErrorCode.NOT_FOUND, f"no {what} {object_id}", "id")
    if access != "OWN":
        raise Refusal.of(ErrorCode.FORBIDDEN, f"this {what} belongs to another organisation", "id")


class Intake:
    """Runs the write commands. One instance per request (it holds nothing between requests)."""

    def __init__(self, db: Database, embedder: Embedder, linker: TaxonomyLinker):
        self.db = db
        self.embedder = embedder
        self.linker = linker

    async def run(self, viewer: Viewer, command: Command, client_mutation_id: str | None,
                  prepare: Prepare[P], *args: P.args, **kwargs: P.kwargs) -> Outcome:
        step = Step(self, viewer)
        try:
            gate(viewer, command)
            key = None
            if client_mutation_id:
                refuse_if(check_client_mutation_id(client_mutation_id))
                key = idempotency_key(viewer, command.mutation, client_mutation_id, [args, kwargs])
                first = await client_mutations.find(self.db, key)
                if first is not None:
                    return Outcome(id=first)
            plan = await prepare(step, *args, **kwargs)
            return await self._write(plan, key, step)
        except Refusal as refusal:
            return Outcome(errors=refusal.errors, unresolved=step.unresolved)

    async def _write(self, plan: Plan, key: str | None, step: Step) -> Outcome:
        owner: list[str | None] = [plan.owner_id]

        async def transaction(tx: Tx) -> None:
            found = await plan.write(tx)
            if found is not None:
                owner[0] = found
            await freshness.mark_stale(tx, [plan.id, owner[0]])  # the stored match lists it can change
            if key is not None:
                await client_mutations.record(tx, key, plan.id)

        try:
            await self.db.write_tx(transaction)
        except ConstraintError:
            # a concurrent re-send with the same key committed first: answer as a replay
            first = await client_mutations.find(self.db, key) if key else None
            if first is None:
                raise
            return Outcome(id=first)
        return Outcome(id=plan.id, unresolved=step.unresolved, token=plan.token, owner_id=owner[0])
