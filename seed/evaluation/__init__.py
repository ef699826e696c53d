"""The development evaluation set and the `make eval` harness.

* :mod:`seed.evaluation.eval_set` — the hand-written needs (``seed/data/eval/needs.jsonl``) and the graded
  judgments (``judgments.jsonl``, generated), read strictly;
* :mod:`seed.evaluation.relevance` and :mod:`seed.evaluation.constraints` — the independent checker: how
  close a provider's ground-truth capabilities are to a need's, and which hard constraint it breaks;
* :mod:`seed.evaluation.judge` — pools candidates and grades them (``python -m seed.evaluation.judge``
  regenerates ``judgments.jsonl``);
* :mod:`seed.evaluation.metrics`, :mod:`seed.evaluation.baselines` — nDCG@10, Recall@10, MRR, the
  constraint-breaking share; the BM25 (jieba) and embedding-cosine baselines;
* :mod:`seed.evaluation.client`, :mod:`seed.evaluation.run`, :mod:`seed.evaluation.report` — ``gongxu eval``:
  the needs go through the GraphQL API like a client's, the baselines run on the same graph, the table goes
  to the terminal and to BENCHMARKS.md.

Nothing here calls the matching engine directly: the judgments must not share its mistakes.
docs/EVALUATION.md explains the rules.
"""
