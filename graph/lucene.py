"""The one Lucene escaper: user text as a query of plain terms for Neo4j's full-text indexes.

Lucene's query parser gives meaning to ``+ - & | ! ( ) { } [ ] ^ " ~ * ? : \\ /`` and to the words
AND, OR, NOT and TO; text people type must never be parsed as syntax (an unbalanced quote would
fail the whole query). Every special character is escaped and the operator words are lower-cased —
the indexes' ``cjk`` analyzer lower-cases every term anyway, so the search is the same, and nothing
else is changed. The length is capped because each word becomes a clause (and CJK text one per
bigram), and Lucene refuses a query past its clause limit.
"""

from __future__ import annotations

import re

SPECIAL = frozenset('+-&|!(){}[]^"~*?:\\/')
OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})
MAX_QUERY_CHARS = 200


def lucene_query(text: str | None, max_chars: int = MAX_QUERY_CHARS) -> str | None:
    """``text`` as a safe Lucene query: specials escaped, operators lower-cased, at most ``max_chars`` of
    the (whitespace-collapsed) input. None when nothing searchable is left (no letter or digit)."""
    if not text:
        return None
    words = []
    for word in " ".join(text.split())[:max_chars].split(" "):
        if word in OPERATORS:
            word = word.lower()
        words.append("".join(f"\\{ch}" if ch in SPECIAL else ch for ch in word))
    query = " ".join(words)
    return query if re.search(r"\w", query) else None
