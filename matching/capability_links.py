"""Which capabilities a capability statement, a capacity offer or a need is linked to — one rule for every writer.

The API (``matching/intake``) and the seed loader (``seed/loader.py``) link through these functions, so a
text written either way gets the same links. Each subject restricts the taxonomy kind it links to:

* a service provider's statement links to SERVICE nodes, a manufacturer's to any node (manufacturers
  describe processes and the services around them);
* a capacity offer is capacity for a PROCESS;
* a SERVICE need links to SERVICE nodes, a CAPACITY need to PROCESS nodes.

``vector`` is the embedding the subject is stored with: a statement's or an offer's *passage* embedding
(``matching.texts.statement_text`` / ``offer_text``), a need's *query* embedding — so each text goes
through the model once (``TaxonomyLinker.link_vector``, ``passage=True`` for the passages). Declared codes
(what a client sends as ``capabilityCodes``) are kept as CODE links.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from matching.linking import Link, TaxonomyLinker

STATEMENT_KINDS: dict[str, str | None] = {"SERVICE_PROVIDER": "SERVICE", "MANUFACTURER": None}
OFFER_KIND = "PROCESS"
NEED_KINDS: dict[str, str] = {"SERVICE": "SERVICE", "CAPACITY": "PROCESS"}


def link_statement(linker: TaxonomyLinker, vector: np.ndarray, text: str, provider_kind: str,
                   declared: Sequence[str] = ()) -> list[Link]:
    return linker.link_vector(vector, text, STATEMENT_KINDS[provider_kind], list(declared), passage=True)


def link_offer(linker: TaxonomyLinker, vector: np.ndarray, process_text: str,
               declared: Sequence[str] = ()) -> list[Link]:
    """``vector``: the offer's passage embedding (process and description); aliases are found in the process."""
    return linker.link_vector(vector, process_text, OFFER_KIND, list(declared), passage=True)


def link_need(linker: TaxonomyLinker, vector: np.ndarray, text: str, need_kind: str,
              declared: Sequence[str] = ()) -> list[Link]:
    return linker.link_vector(vector, text, NEED_KINDS[need_kind], list(declared))


def link_rows(links: Sequence[Link]) -> list[dict[str, Any]]:
    """Links as the graph repositories write them."""
    return [{"code": link.code, "confidence": float(link.confidence), "method": link.method} for link in links]
