"""GraphQL enums: the fixed values of docs/ARCHITECTURE.md, one name each, as stored in the graph."""

from __future__ import annotations

from enum import Enum

import strawberry

from matching import vocabulary
from matching.validation import ErrorCode as _ErrorCode

# defined once in matching/, exposed as they are
ErrorCode = strawberry.enum(_ErrorCode, name="ErrorCode", description="Why an input was refused.")
Unit = strawberry.enum(vocabulary.Unit, name="Unit")
CertificationStatus = strawberry.enum(vocabulary.CertificationStatus, name="CertificationStatus")


@strawberry.enum(description="Who is asking: the role of the API token, or ANONYMOUS without one.")
class Role(Enum):
    ANONYMOUS = "ANONYMOUS"
    ENTERPRISE = "ENTERPRISE"
    PROVIDER = "PROVIDER"
    STAFF = "STAFF"


@strawberry.enum
class ProviderKind(Enum):
    SERVICE_PROVIDER = "SERVICE_PROVIDER"
    MANUFACTURER = "MANUFACTURER"


@strawberry.enum(description="SERVICE: 服务 (a service capability); PROCESS: 工艺 (a manufacturing process).")
class CapabilityKind(Enum):
    SERVICE = "SERVICE"
    PROCESS = "PROCESS"


@strawberry.enum(description="How a text was linked to a taxonomy node.")
class LinkMethod(Enum):
    CODE = "CODE"  # given as a code
    ALIAS = "ALIAS"  # a name or alias of the node occurs in the text
    EMBEDDING = "EMBEDDING"  # the text's embedding is close to the node's


@strawberry.enum
class NeedKind(Enum):
    SERVICE = "SERVICE"
    CAPACITY = "CAPACITY"


@strawberry.enum
class NeedStatus(Enum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


@strawberry.enum
class OfferStatus(Enum):
    PUBLISHED = "PUBLISHED"
    WITHDRAWN = "WITHDRAWN"


@strawberry.enum
class MatchStatus(Enum):
    """PROPOSED → ACCEPTED → CONTRACTED → DELIVERED → COMPLETED; CANCELLED before COMPLETED; REJECTED."""

    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    CONTRACTED = "CONTRACTED"
    DELIVERED = "DELIVERED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    REJECTED = "REJECTED"


@strawberry.enum
class RegionLevel(Enum):
    GROUP = "GROUP"
    PROVINCE = "PROVINCE"
    CITY = "CITY"


@strawberry.enum
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.enum
class ProviderSortField(Enum):
    NAME = "NAME"
    CREATED = "CREATED"
    RATING = "RATING"


@strawberry.enum
class EnterpriseSortField(Enum):
    NAME = "NAME"
    CREATED = "CREATED"


@strawberry.enum
class NeedSortField(Enum):
    CREATED = "CREATED"
    DEADLINE = "DEADLINE"
    TITLE = "TITLE"
