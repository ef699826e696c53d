"""Credit-code claims: the uniqueness guard of registration.

Checking "is this credit code registered?" and then creating the organisation is not enough under
read-committed isolation: two registrations can both check, both find nothing and both create. Each
registration therefore also MERGEs ``(:CreditCode {key})`` in its own write transaction, where ``key`` is
``ENTERPRISE:<code>`` or ``PROVIDER:<code>`` (one organisation may be both) under the unique constraint
``credit_code_key`` (``graph/migrations.py``). The constraint's index lock makes the second MERGE wait
for the first transaction; after its commit the second MERGE finds the node, which names another
organisation: the caller refuses with DUPLICATE and its transaction writes nothing.
"""

from __future__ import annotations

from typing import Literal

from graph.db import Tx

Party = Literal["ENTERPRISE", "PROVIDER"]


def claim_key(party: Party, credit_code: str) -> str:
    return f"{party}:{credit_code}"


async def claim(tx: Tx, party: Party, credit_code: str, org_id: str) -> bool:
    """Claim the credit code for ``org_id``; False when another organisation of this party holds it."""
    row = await tx.one(
        "MERGE (c:CreditCode {key: $key}) ON CREATE SET c.org_id = $org_id, c.created_at = datetime() "
        "RETURN c.org_id = $org_id AS mine",
        key=claim_key(party, credit_code), org_id=org_id)
    return bool(row and row["mine"])
