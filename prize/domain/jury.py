"""What the secretariat may do with a person's place on an edition's jury.

Each rule takes the membership's status (None: not on this jury) and gives the sentence
that refuses the step, or None when it may go ahead. The web layer checks them on the
status it reads inside the write transaction, so two tabs cannot both act on a stale page.
"""

from __future__ import annotations

from prize.domain.statuses import JurorStatus
from prize.i18n import gettext


def may_invite(status: str | None) -> str | None:
    """A (new) invitation by email: anyone not already serving on the jury."""
    if status == JurorStatus.ACTIVE:
        return gettext("This person is on the jury already.")
    return None


def may_resend(status: str | None, name: str) -> str | None:
    """A new link for a pending or revoked invitation; the old link stops working."""
    if status not in JurorStatus.INVITABLE:
        return gettext("{name} has accepted already: there is no invitation to send.").format(
            name=name)
    return None


def may_revoke(status: str | None) -> str | None:
    """Only an invitation not yet accepted can be revoked."""
    if status != JurorStatus.INVITED:
        return gettext(
            "Only a pending invitation can be cancelled. If the person has already accepted, "
            "use “Remove from the jury and replace”.")
    return None


def may_withdraw(status: str | None) -> str | None:
    """Only a juror serving on the jury can withdraw from it."""
    if status != JurorStatus.ACTIVE:
        return gettext("Only an active juror can leave the jury.")
    return None
