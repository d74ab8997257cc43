"""What every state machine of the domain shares: the refusal, and the words of its reasons.

The edition and entry lifecycles (:mod:`prize.domain.lifecycle`) and the publication
workflow of good practices (:mod:`prize.domain.practices`) each keep a step table of their
own; a step that may not happen raises the one :class:`TransitionRefused` below, with its
reasons as translated sentences.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from prize.i18n import gettext


class TransitionRefused(ValueError):
    """A transition that may not happen now, and every reason why, as sentences.

    ``can_force`` is true when every reason is one the secretariat may override by
    confirming (closing the call early, deliberating with score sheets missing).
    ``str()`` of the error is every reason, in one paragraph.
    """

    def __init__(self, reasons: list[str], *, can_force: bool = False) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons
        self.can_force = can_force


def require_aware(moment: datetime | None, name: str) -> None:
    """Raise ValueError for a time without a time zone (naive and aware times cannot meet)."""
    # Comparing naive and aware times raises a TypeError deep inside a check; say it plainly.
    if moment is not None and moment.tzinfo is None:
        raise ValueError(f"{name} must carry a time zone")


def either(labels: Iterable[str]) -> str:
    """Labels joined as alternatives in the current locale: “Draft” or “Approved”."""
    return gettext(" or ").join(labels)
