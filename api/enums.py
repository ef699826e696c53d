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
EnterpriseSize = strawberry.enum(vocabulary.EnterpriseSize, name="EnterpriseSize",
                                 description="大型 LARGE / 中型 MEDIUM / 小型 SMALL / 微型 MICRO per the national SME "
                                             "classification (《中小企业划型标准规定》).")


@strawberry.enum(description="Who is asking: the role of the API token, or ANONYMOUS without one.")
class Role(Enum):
    ANONYMOUS = "ANONYMOUS"
    ENTERPRISE = "ENTERPRISE"
    PROVIDER = "PROVIDER"
    STAFF = "STAFF"


@strawberry.enum(description="Provider types the policy documents name. A provider's primary `kind` is "
                             "SERVICE_PROVIDER or MANUFACTURER; `tags` may add the others.")
class ProviderKind(Enum):
    SERVICE_PROVIDER = strawberry.enum_value("SERVICE_PROVIDER", description="服务提供商")
    MANUFACTURER = strawberry.enum_value("MANUFACTURER", description="制造商 (publishes capacity offers)")
    PLATFORM_OPERATOR = strawberry.enum_value("PLATFORM_OPERATOR", description="平台运营商 (a tag)")
    PRODUCT_SUPPLIER = strawberry.enum_value("PRODUCT_SUPPLIER", description="产品供应商 (a tag)")


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
