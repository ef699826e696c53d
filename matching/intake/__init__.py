"""What organisations submit, turned into graph writes: one module per subject, one runner for all.

* :mod:`~matching.intake.runner` — ``Intake.run``: gate, replay, prepare, one write transaction;
  refusals are :class:`Refusal` (one exception type, ``ErrorCode`` members only);
* :mod:`~matching.intake.organisations` — register enterprises and providers, update a provider;
* :mod:`~matching.intake.capabilities` — add and remove capability statements;
* :mod:`~matching.intake.offers` — publish, update and withdraw capacity offers;
* :mod:`~matching.intake.needs` — post, update and close needs;
* :mod:`~matching.intake.resolution` — terms to codes and text to taxonomy links, as every subject does it.
"""

from matching.intake.runner import Intake, Outcome, Refusal

__all__ = ["Intake", "Outcome", "Refusal"]
