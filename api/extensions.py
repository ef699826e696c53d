"""Schema extensions: the complexity budget, the document cache, error masking with codes, and the round-trip
report.

Depth, alias and token limits are strawberry's own (``QueryDepthLimiter``, ``MaxAliasesLimiter``,
``MaxTokensLimiter``); they are assembled with these in ``api/schema.py``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
    VariableNode,
    get_named_type,
    value_from_ast,
    value_from_ast_untyped,
)
from graphql import (
    ExecutionResult as GraphQLExecutionResult,
)
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.types.execution import ExecutionResult as StrawberryExecutionResult

from api.errors import BUSY, INTERNAL, QUERY_TOO_COMPLEX, SERVICE_UNAVAILABLE, deliberate
from graph.db import GraphUnavailable, QueryCounter, count_queries
from matching.embedding import EmbeddingBusy

# --------------------------------------------------------------------------------------- complexity

COMPLEXITY_BUDGET = 50_000  # with lists at their caps (below): 100 providers with their links ≈ 35,000
DEFAULT_FIRST = 20

# A list field without `first` is counted at its cap — how many items the data can hold — not at a
# typical size: `regions { parts { partOf { parts { code } } } }` really is 274 × 138 × 4 × 138 objects.
# Keyed "Type.field" (an interface's entry covers its implementations); a list field not named here
# counts LIST_CAP_DEFAULT (the input list limit, matching/validation.py MAX_LIST).
LIST_CAP_DEFAULT = 50
LIST_CAPS: dict[str, int] = {
    # Reference data: the largest list the loaded data holds, rounded up (tests/api/test_complexity_caps.py
    # fails when the reference data outgrows a cap). A tree is capped per level by its widest node.
    "Query.capabilityTree": 50, "Capability.children": 12, "Capability.path": 3, "Query.capabilities": 350,
    "Query.regions": 300, "Region.parts": 150, "Region.partOf": 5,
    "Query.certifications": 50, "Query.industries": 50, "Query.materials": 150, "Query.sharingModes": 4,
    # Organisation data bounded by the reference data or the write rules (lists of ≤ 50 items).
    "Provider.certifications": 50, "Provider.industries": 50, "Provider.sharingModes": 4,
    "Enterprise.industries": 50, "Need.requiredCertifications": 50, "Need.regions": 50,
    # Computed results with a fixed size.
    "Query.searchProviders": 50, "ConsortiumProposals.proposals": 3, "Consortium.members": 4,
    "MatchExplanation.constraints": 12, "MatchExplanation.scoreParts": 12,
    # TYPICAL, NOT a real cap: statements per provider, offers per manufacturer and links per text have no
    # write limit small enough to price nested lists at (a provider may add statements one by one; a text
    # links ≤ 3 nodes plus up to 50 given codes). Counted at a typical size until the write rules cap them.
    "Provider.capabilities": 5, "Manufacturer.capacityOffers": 5,
    "CapabilityStatement.capabilities": 5, "CapacityOffer.processes": 5, "Need.capabilities": 5,
}


class _Estimator:
    """Cost of a selection: 1 per field, times ``first`` (or the list's cap, LIST_CAPS) for what is below a list."""

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode],
                 variables: dict[str, Any]):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def selection(self, selection_set: SelectionSetNode | None, parent: Any, seen: frozenset[str] = frozenset()) -> int:
        if selection_set is None:
            return 0
        total = 0
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self.field(node, parent, seen)
            elif isinstance(node, InlineFragmentNode):
                target = self.schema.get_type(node.type_condition.name.value) if node.type_condition else parent
                total += self.selection(node.selection_set, target, seen)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                total += self.selection(fragment.selection_set, target, seen | {name})
        return total

    def field(self, node: FieldNode, parent: Any, seen: frozenset[str]) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        definition: GraphQLField | None = getattr(parent, "fields", {}).get(name)
        if definition is None:
            return 1
        below = self.selection(node.selection_set, get_named_type(definition.type), seen)
        return 1 + self.multiplier(node, definition, parent) * below

    def multiplier(self, node: FieldNode, definition: GraphQLField, parent: Any) -> int:
        if "first" in definition.args:
            return max(self.argument(node, definition, "first"), 1)
        field_type = definition.type.of_type if isinstance(definition.type, GraphQLNonNull) else definition.type
        if isinstance(field_type, GraphQLList):
            # a connection's edges are already counted by its `first`
            if isinstance(parent, GraphQLObjectType) and parent.name.endswith("Connection"):
                return 1
            return list_cap(parent, node.name.value)
        return 1

    def argument(self, node: FieldNode, definition: GraphQLField, name: str) -> int:
        for argument in node.arguments or ():
            if argument.name.value == name:
                if isinstance(argument.value, VariableNode):
                    value = self.variables.get(argument.value.name.value)
                else:
                    value = value_from_ast(argument.value, definition.args[name].type, self.variables)
                return int(value) if isinstance(value, int) else DEFAULT_FIRST
        default = definition.args[name].default_value
        return int(default) if isinstance(default, int) and default is not Undefined else DEFAULT_FIRST


def list_cap(parent: Any, name: str) -> int:
    """The declared cap of ``parent.name`` (or of the interface that declares it)."""
    for type_name in (parent.name, *(i.name for i in getattr(parent, "interfaces", ()))):
        cap = LIST_CAPS.get(f"{type_name}.{name}")
        if cap is not None:
            return cap
    return LIST_CAP_DEFAULT


def estimate(schema: GraphQLSchema, document: Any, operation_name: str | None, variables: dict[str, Any]) -> int:
    """The complexity of the operation that will run (the named one, or the only one)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [d for d in operations if d.name and d.name.value == operation_name]
    if not operations:
        return 0
    operation = operations[0]
    root = schema.get_root_type(operation.operation)
    # a variable the request leaves out costs what its default says (`$n: Int = 100` is 100, not 20)
    defaults = {definition.variable.name.value: value_from_ast_untyped(definition.default_value)
                for definition in operation.variable_definitions or () if definition.default_value is not None}
    return _Estimator(schema, fragments, {**defaults, **(variables or {})}).selection(operation.selection_set, root)


class ComplexityLimiter(SchemaExtension):
    """Refuses, before execution, an operation whose estimated cost is above the budget.

    The error carries ``extensions.code = QUERY_TOO_COMPLEX`` with the estimate and the budget, so a
    client can ask for smaller pages (``first``) or fewer nested lists.
    """

    def __init__(self, *, budget: int = COMPLEXITY_BUDGET, execution_context: Any = None):
        self.budget = budget

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.result is None:
            cost = estimate(context.schema._schema, context.graphql_document, context.operation_name,
                            context.variables or {})
            if cost > self.budget:
                context.result = GraphQLExecutionResult(data=None, errors=[GraphQLError(
                    f"the query's estimated complexity {cost} is above the budget {self.budget}: "
                    "ask for fewer items (first) or fewer nested lists",
                    extensions={"code": QUERY_TOO_COMPLEX, "complexity": cost, "budget": self.budget})])
        yield


# ------------------------------------------------------------------------------------ documents


class DocumentCache:
    """Parsed documents that passed validation, by query text (LRU), for one schema.

    Parsing and validating are pure functions of the query text, the schema and its validation rules
    (depth, aliases, tokens, introspection: fixed per schema), so a text that parsed and validated once
    is valid again and its document can be reused. Clients send the same few texts with different
    variables; validation was the largest CPU cost of a small query. Only valid texts of at most
    ``max_chars`` are kept (bounded memory); an invalid one is parsed and validated every time.
    """

    def __init__(self, maxsize: int = 256, max_chars: int = 20_000):
        self.maxsize = maxsize
        self.max_chars = max_chars
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()
        self._lock = threading.Lock()  # an app per thread may share a schema (tests run several)

    def get(self, query: str) -> DocumentNode | None:
        with self._lock:
            document = self._documents.get(query)
            if document is not None:
                self._documents.move_to_end(query)
            return document

    def put(self, query: str, document: DocumentNode) -> None:
        if len(query) > self.max_chars:
            return
        with self._lock:
            self._documents[query] = document
            self._documents.move_to_end(query)
            while len(self._documents) > self.maxsize:
                self._documents.popitem(last=False)

    def __len__(self) -> int:
        return len(self._documents)


def cached_documents(cache: DocumentCache) -> type[SchemaExtension]:
    """An extension class bound to ``cache``: a known text skips parsing and validation."""

    class CachedDocuments(SchemaExtension):
        def __init__(self, *, execution_context: Any = None) -> None:
            self.hit = False

        def on_parse(self) -> Iterator[None]:
            context = self.execution_context
            if context.graphql_document is None and context.query:
                document = cache.get(context.query)
                if document is not None:
                    context.graphql_document = document
                    self.hit = True
            yield

        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            if self.hit and context.pre_execution_errors is None:
                context.pre_execution_errors = []  # validated when it was cached, by the same rules
            yield
            if not self.hit and context.pre_execution_errors == [] and context.graphql_document is not None \
                    and context.query:
                cache.put(context.query, context.graphql_document)

    return CachedDocuments


# ------------------------------------------------------------------------------------------- errors


class MaskUnexpectedErrors(MaskErrors):
    """``MaskErrors`` that keeps deliberate errors (``ApiError``, validation, limits) and gives every
    error a code: unexpected ones become "Unexpected error." with INTERNAL_SERVER_ERROR."""

    def __init__(self, *, execution_context: Any = None) -> None:
        super().__init__(should_mask_error=lambda error: not deliberate(error), error_message="Unexpected error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return anonymised(error)

    def on_operation(self) -> Iterator[None]:
        yield from super().on_operation()
        result = self.execution_context.result
        if isinstance(result, GraphQLExecutionResult | StrawberryExecutionResult) and result.errors:
            result.errors = [with_code(error) for error in result.errors]


def _infrastructure(error: BaseException | None) -> tuple[str, str] | None:
    """(code, message) when an unexpected error is a known infrastructure condition the client may retry."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, GraphUnavailable):
            return SERVICE_UNAVAILABLE, "the database is unavailable; try again in a moment"
        if isinstance(error, EmbeddingBusy):
            return BUSY, "the service is busy embedding other requests; try again in a moment"
        error = getattr(error, "original_error", None) or error.__cause__
        seen += 1
    return None


def anonymised(error: GraphQLError) -> GraphQLError:
    known = _infrastructure(error.original_error)
    code, message = known or (INTERNAL, "Unexpected error.")
    return GraphQLError(message=message, nodes=error.nodes, source=error.source,
                        positions=error.positions, path=error.path, original_error=None,
                        extensions={"code": code})


def safe_errors(errors: list[GraphQLError]) -> list[GraphQLError]:
    """The last line of defence, at the HTTP view: an error raised outside the operation hooks (e.g. by
    another extension) never reaches ``MaskUnexpectedErrors``, so it is masked here."""
    return [with_code(error if deliberate(error) else anonymised(error)) for error in errors]


def with_code(error: GraphQLError) -> GraphQLError:
    if error.extensions and "code" in error.extensions:
        return error
    code = "GRAPHQL_PARSE_FAILED" if error.message.startswith("Syntax Error") else "GRAPHQL_VALIDATION_FAILED"
    return GraphQLError(error.message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, original_error=error.original_error,
                        extensions={**(error.extensions or {}), "code": code})


# ------------------------------------------------------------------------------------ round trips


class CypherRoundTrips(SchemaExtension):
    """Reports the operation's Cypher round trips in ``extensions.cypherRoundTrips`` (not in production).

    The counter is a ContextVar set before execution; asyncio tasks copy the context they are created
    in, and DataLoader batches are dispatched from tasks created inside resolvers, so they all add to
    the same counter object.
    """

    def __init__(self, *, execution_context: Any = None) -> None:
        self.counter: QueryCounter | None = None

    def on_operation(self) -> Iterator[None]:
        with count_queries() as counter:
            self.counter = counter
            yield

    def get_results(self) -> dict[str, Any]:
        return {"cypherRoundTrips": self.counter.count if self.counter else 0}
