"""Errors of the API itself (not of one mutation's input, which are ``UserError`` payloads).

Raised deliberately, they reach the client with ``extensions.code``; anything else that escapes a
resolver is an unexpected error and is masked to "Unexpected error." (``MaskErrors``) — the detail
stays in the server log.
"""

from __future__ import annotations

from graphql import GraphQLError

BAD_USER_INPUT = "BAD_USER_INPUT"  # a query argument is out of range or malformed (page size, cursor, filter)
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"  # the complexity estimate is above the budget
INTERNAL = "INTERNAL_SERVER_ERROR"  # what a masked error carries
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"  # the request body is above the size limit (HTTP 413)
RATE_LIMITED = "RATE_LIMITED"  # too many registrations / expensive fields from one token or address (HTTP 429)
BUSY = "BUSY"  # the embedding queue is full: try again in a moment (HTTP 503 with Retry-After)
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"  # Neo4j is unreachable or a transaction timed out (HTTP 503)

# HTTP status of a response whose first error carries one of these codes
HTTP_STATUS = {PAYLOAD_TOO_LARGE: 413, RATE_LIMITED: 429, BUSY: 503, SERVICE_UNAVAILABLE: 503}


class ApiError(GraphQLError):
    """An error meant for the client: its message and ``extensions.code`` are shown as they are."""

    def __init__(self, message: str, code: str = BAD_USER_INPUT, **extensions: object):
        super().__init__(message, extensions={"code": code, **extensions})


def deliberate(error: GraphQLError) -> bool:
    """Whether an error was raised on purpose (or by GraphQL validation) and may be shown."""
    original = error.original_error
    if original is None:
        return True  # parse and validation errors: about the client's document
    if isinstance(original, GraphQLError):
        return deliberate(original) if original.original_error is not None else True
    return False


def should_mask(error: GraphQLError) -> bool:
    return not deliberate(error)
