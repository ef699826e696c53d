"""Fusion of the retrieval branches: the pre-score decides who reaches scoring, the nearest keep their seats."""

from __future__ import annotations

from matching.retrieval import fuse


def rows(source: str, scores: dict[str, float]) -> list[dict]:
    return [{"source": source, "provider_id": pid, "score": score} for pid, score in scores.items()]


def test_the_pre_score_orders_and_the_limit_cuts():
    found = fuse(rows("TAXONOMY", {"a": 0.9, "b": 0.5}) + rows("VECTOR", {"c": 0.95}), limit=2, nearest_kept=0)
    assert found == ["a", "c"] or found == ["c", "a"]
    assert "b" not in found


def test_the_nearest_by_vector_keep_their_seats_against_many_confident_links():
    linked = rows("TAXONOMY", {f"t{i:03d}": 0.95 for i in range(200)})
    nearest = rows("VECTOR", {"near1": 0.86, "near2": 0.85, "near3": 0.84})
    found = fuse(linked + nearest, limit=10, nearest_kept=2)
    assert len(found) == 10
    assert {"near1", "near2"} <= set(found) and "near3" not in found
    assert fuse(linked + nearest, limit=10, nearest_kept=0) == [f"t{i:03d}" for i in range(10)]


def test_a_provider_found_twice_counts_once():
    found = fuse(rows("VECTOR", {"a": 0.9}) + rows("TAXONOMY", {"a": 0.8, "b": 0.7}), limit=5)
    assert sorted(found) == ["a", "b"]
