"""Per-request bounds checked before any resolver runs: input sizes, matching recomputation, rates.

* :class:`InputBounds` walks the executed operation's literal arguments, variable defaults and
  variable values — generically, by argument and input-field name, so a new input is covered
  without an edit — and refuses with BAD_USER_INPUT any string longer than its limit
  (``STRING_LIMIT``; ``LONG_STRING_LIMIT`` for description-like fields), any list longer than
  ``LIST_LIMIT``, lone UTF-16 surrogates, non-finite floats, integers beyond ±2^53, values nested
  deeper than ``MAX_NESTING``, and ``node(id:)`` ids that name no concrete Node type. These are
  ceilings that protect the service; the domain's own, tighter limits (matching/validation.py) still
  answer with typed payload errors below them.
* :class:`MatchingBudget`: at most one field that may recompute matching (``matches``,
  ``consortia``, ``opportunities``) per operation; more is refused with QUERY_TOO_COMPLEX.
* :class:`RateLimiter`: per token (or, anonymous, per client address) sliding-window limits on
  registrations and expensive fields, answered with RATE_LIMITED (HTTP 429).
"""

from __future__ import annotations

import base64
import binascii
import math
import os
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DocumentNode,
    EnumValueNode,
    FieldNode,
    FloatValueNode,
    FragmentDefinitionNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    Visitor,
    visit,
)
from strawberry.extensions import SchemaExtension

from api.errors import BAD_USER_INPUT, QUERY_TOO_COMPLEX, RATE_LIMITED, ApiError

STRING_LIMIT = 2_000
LONG_STRING_LIMIT = 10_000
LONG_FIELDS = frozenset({"description", "text", "processText", "reason", "title"})
LIST_LIMIT = 50
MAX_NESTING = 10
SAFE_INTEGER = 2**53
_SURROGATE = re.compile("[\ud800-\udfff]")

RECOMPUTING_FIELDS = frozenset({"matches", "consortia", "opportunities"})
REGISTRATION_FIELDS = frozenset({"registerEnterprise", "registerProvider"})
EXPENSIVE_FIELDS = frozenset({"searchProviders", *RECOMPUTING_FIELDS})


def string_limit(name: str) -> int:
    return LONG_STRING_LIMIT if name in LONG_FIELDS else STRING_LIMIT


def _refuse(name: str, message: str, **extensions: object) -> ApiError:
    return ApiError(f"{name}: {message}", code=BAD_USER_INPUT, field=name, **extensions)


def check_value(value: Any, name: str, depth: int = 0) -> None:
    """A JSON value (a variable) bound to the argument or input field ``name``."""
    if depth > MAX_NESTING:
        raise _refuse(name, f"nested more than {MAX_NESTING} levels deep")
    if isinstance(value, str):
        check_string(value, name)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if abs(value) > SAFE_INTEGER:
            raise _refuse(name, f"integers must lie within ±2^53, got one with {len(str(value))} digits")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _refuse(name, "numbers must be finite")
    elif isinstance(value, list):
        if len(value) > LIST_LIMIT:
            raise _refuse(name, f"{len(value)} items; at most {LIST_LIMIT}", limit=LIST_LIMIT)
        for item in value:
            check_value(item, name, depth + 1)
    elif isinstance(value, dict):
        if len(value) > LIST_LIMIT:
            raise _refuse(name, f"{len(value)} fields; at most {LIST_LIMIT}")
        for key, item in value.items():
            check_value(item, str(key)[:100], depth + 1)


def check_string(value: str, name: str) -> None:
    limit = string_limit(name)
    if len(value) > limit:
        raise _refuse(name, f"{len(value)} characters; at most {limit}", limit=limit)
    if _SURROGATE.search(value):
        raise _refuse(name, "contains a lone UTF-16 surrogate (not valid Unicode text)")


def check_literal(node: ValueNode, name: str, depth: int = 0) -> None:
    """A literal value in the document bound to ``name``; variables inside are checked with the variables."""
    if depth > MAX_NESTING:
        raise _refuse(name, f"nested more than {MAX_NESTING} levels deep")
    if isinstance(node, StringValueNode):
        check_string(node.value, name)
    elif isinstance(node, IntValueNode):
        if len(node.value.lstrip("-")) > 16 or abs(int(node.value)) > SAFE_INTEGER:
            raise _refuse(name, "integers must lie within ±2^53")
    elif isinstance(node, FloatValueNode):
        if len(node.value) > 64 or not math.isfinite(float(node.value)):
            raise _refuse(name, "numbers must be finite")
    elif isinstance(node, ListValueNode):
        if len(node.values) > LIST_LIMIT:
            raise _refuse(name, f"{len(node.values)} items; at most {LIST_LIMIT}", limit=LIST_LIMIT)
        for item in node.values:
            check_literal(item, name, depth + 1)
    elif isinstance(node, ObjectValueNode):
        for field in node.fields:
            check_literal(field.value, field.name.value, depth + 1)
    elif not isinstance(node, VariableNode | BooleanValueNode | NullValueNode | EnumValueNode):
        return


class _Usages(Visitor):
    """What the bounds need from a document, whatever the variables: which argument / input-field names
    each variable is bound to, every argument, the ``node(id:)`` values, and whether the literals passed."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, set[str]] = {}
        self.node_ids: list[ValueNode] = []
        self.arguments: list[ArgumentNode] = []
        self.literals_checked = False

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        self.arguments.append(node)
        self._bind(node.name.value, node.value)

    def enter_object_field(self, node: ObjectFieldNode, *_args: Any) -> None:
        self._bind(node.name.value, node.value)

    def enter_field(self, node: FieldNode, *_args: Any) -> None:
        if node.name.value == "node":
            self.node_ids.extend(argument.value for argument in node.arguments or () if argument.name.value == "id")

    def _bind(self, name: str, value: ValueNode) -> None:
        if isinstance(value, VariableNode):
            self.names.setdefault(value.name.value, set()).add(name)
        elif isinstance(value, ListValueNode):
            for item in value.values:
                self._bind(name, item)


def _operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [d for d in operations if d.name and d.name.value == operation_name]
    return operations[0] if len(operations) >= 1 else None


_USAGES: dict[int, tuple[DocumentNode, _Usages]] = {}  # by document identity (the entry keeps it alive)
_USAGES_MAX = 256
_USAGES_MAX_CHARS = 20_000
_USAGES_LOCK = threading.Lock()


def _usages(document: DocumentNode) -> _Usages:
    """The document's usages, walked once per document object: a document from ``DocumentCache`` is the
    same object for every request of its text, so its walk is not repeated."""
    with _USAGES_LOCK:
        found = _USAGES.get(id(document))
    if found is not None and found[0] is document:
        return found[1]
    usages = _Usages()
    visit(document, usages)
    source = document.loc.source.body if document.loc else None
    if source is None or len(source) > _USAGES_MAX_CHARS:
        return usages  # bounded memory: only documents of a size ``DocumentCache`` keeps are kept here
    with _USAGES_LOCK:
        if len(_USAGES) >= _USAGES_MAX:
            _USAGES.clear()
        _USAGES[id(document)] = (document, usages)
    return usages


def check_operation(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
                    variables: dict[str, Any]) -> None:
    """Raise ApiError(BAD_USER_INPUT) for the first value out of bounds in the operation that will run."""
    usages = _usages(document)
    if not usages.literals_checked:  # literals are part of the document: checked once it passes
        for node in usages.arguments:
            check_literal(node.value, node.name.value)
        usages.literals_checked = True
    operation = _operation(document, operation_name)
    definitions = {d.variable.name.value: d for d in (operation.variable_definitions if operation else ()) or ()}
    for variable, definition in definitions.items():
        names = sorted(usages.names.get(variable, {variable}), key=string_limit)
        if definition.default_value is not None:
            check_literal(definition.default_value, names[0])
        if variable in variables:
            check_value(variables[variable], names[0])
    for node in usages.node_ids:
        value = variables.get(node.name.value) if isinstance(node, VariableNode) else getattr(node, "value", None)
        if isinstance(value, str):
            check_node_id(schema, value)


def check_node_id(schema: GraphQLSchema, value: str) -> None:
    """A global id must name a concrete type implementing Node (``Node:x`` names the interface itself)."""
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=False).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _refuse("id", "is not a global id") from None
    type_name, _, key = decoded.partition(":")
    definition = schema.get_type(type_name)
    if definition is None:
        return  # an id of no type is simply not found (node returns null)
    # an object type or an interface that implements Node (Provider ids name the interface); not Node itself
    node_type = isinstance(definition, GraphQLObjectType | GraphQLInterfaceType) and any(
        i.name == "Node" for i in definition.interfaces)
    if not node_type or not key:
        raise _refuse("id", f"is not the id of an object ({type_name!r} is not a node type)")


class InputBounds(SchemaExtension):
    """Refuses out-of-bounds input before execution (see the module docstring)."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.result is None:
            check_operation(context.schema._schema, context.graphql_document, context.operation_name,
                            context.variables or {})
        yield


def _root_fields(document: DocumentNode, operation_name: str | None) -> list[str]:
    """Names of the root fields of the operation, through fragments (aliases counted once each)."""
    operation = _operation(document, operation_name)
    if operation is None:
        return []
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    names: list[str] = []

    def walk(selection_set: Any, seen: frozenset[str]) -> None:
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                names.append(node.name.value)
            elif hasattr(node, "selection_set") and not hasattr(node, "name"):
                walk(node.selection_set, seen)  # inline fragment
            else:
                fragment = fragments.get(node.name.value)
                if fragment is not None and node.name.value not in seen:
                    walk(fragment.selection_set, seen | {node.name.value})

    walk(operation.selection_set, frozenset())
    return names


class MatchingBudget(SchemaExtension):
    """At most one field per operation that may recompute matching."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.result is None:
            recomputing = [n for n in _root_fields(context.graphql_document, context.operation_name)
                           if n in RECOMPUTING_FIELDS]
            if len(recomputing) > 1:
                raise ApiError(f"at most one of {', '.join(sorted(RECOMPUTING_FIELDS))} per request "
                               f"(found {len(recomputing)}); send them as separate requests",
                               code=QUERY_TOO_COMPLEX, budget=1, found=len(recomputing))
        yield


@dataclass(frozen=True)
class RateLimits:
    """Requests per window and client (token, or address when anonymous); 0 turns a limit off."""

    registrations: int = 120
    expensive: int = 1_200
    window_s: float = 60.0

    @classmethod
    def from_env(cls) -> RateLimits:
        return cls(registrations=int(os.environ.get("GONGXU_RATE_REGISTRATIONS", cls.registrations)),
                   expensive=int(os.environ.get("GONGXU_RATE_EXPENSIVE", cls.expensive)),
                   window_s=float(os.environ.get("GONGXU_RATE_WINDOW_S", cls.window_s)))


class RateCounter:
    """Sliding-window counters per (bucket, client), shared by every request of one app."""

    MAX_CLIENTS = 100_000

    def __init__(self, limits: RateLimits):
        self.limits = limits
        self._hits: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, bucket: str, client: str, limit: int) -> float | None:
        """None when allowed (and counted); else the seconds until the next request would be allowed."""
        if limit <= 0:
            return None
        now = time.monotonic()
        with self._lock:
            if len(self._hits) > self.MAX_CLIENTS:
                self._hits.clear()  # bounded memory under an address-spraying attack
            hits = self._hits.setdefault((bucket, client), deque())
            while hits and hits[0] <= now - self.limits.window_s:
                hits.popleft()
            if len(hits) >= limit:
                return max(hits[0] + self.limits.window_s - now, 0.0)
            hits.append(now)
            return None


def client_key(context: Any) -> str:
    viewer = getattr(context, "viewer", None)
    if viewer is not None and getattr(viewer, "token_id", None):
        return f"token:{viewer.token_id}"
    request = getattr(context, "request", None)
    client = getattr(request, "client", None)
    return f"ip:{client.host if client else 'unknown'}"


def rate_limiter(counter: RateCounter) -> type[SchemaExtension]:
    """An extension class bound to the app's counter."""

    class RateLimiter(SchemaExtension):
        def on_execute(self) -> Iterator[None]:
            context = self.execution_context
            if context.graphql_document is not None and context.result is None:
                fields = set(_root_fields(context.graphql_document, context.operation_name))
                client = client_key(context.context)
                for bucket, names, limit in (("registrations", REGISTRATION_FIELDS, counter.limits.registrations),
                                             ("expensive", EXPENSIVE_FIELDS, counter.limits.expensive)):
                    if fields & names:
                        wait = counter.allow(bucket, client, limit)
                        if wait is not None:
                            raise ApiError(f"too many {bucket} requests: at most {limit} per "
                                           f"{counter.limits.window_s:g} s", code=RATE_LIMITED,
                                           retryAfter=math.ceil(wait))
            yield

    return RateLimiter
