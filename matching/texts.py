"""The text each kind of node is embedded from — one definition for the API, the loaders and the eval.

Needs are encoded as e5 queries, statements and offers as passages (see matching/embedding.py).
"""

from __future__ import annotations


def _join(*parts: str | None) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def need_text(title: str | None, description: str | None) -> str:
    return _join(title, description)


def offer_text(process_text: str | None, description: str | None) -> str:
    return _join(process_text, description)


def statement_text(text: str | None) -> str:
    return _join(text)
