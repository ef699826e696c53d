"""Transitional: this module was split into ``retrieval``, ``constraints``, ``parties``, ``freshness`` and
``matches`` (issue 8). Only the one name still imported from here by modules outside the matching
engine's ownership (``matching/intake.py``, ``graph/repositories/bulk.py``,
``benchmarks/matching_latency.py``) is re-exported; those import ``graph.repositories.freshness`` when
the branches are merged, and this file is deleted.
"""

from graph.repositories.freshness import bump_data_version

__all__ = ["bump_data_version"]
