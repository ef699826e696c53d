"""From match to deal: provider responses, the deal lifecycle, capacity that follows the deal, ratings
and the fulfilment score (issue 12; docs/DEALS.md).

* :mod:`matching.deals.lifecycle` — the state machine and who may take which step; releasing booked
  capacity when a deal is cancelled, its need closed or its offer withdrawn; the guards that keep a
  need or an offer from changing under a booking;
* :mod:`matching.deals.responses` — a provider's answer (interest and quote) to a need it matches;
* :mod:`matching.deals.ratings` — two-sided ratings after completion;
* :mod:`matching.deals.fulfilment` — the provider's fulfilment score over a rolling window.
"""
