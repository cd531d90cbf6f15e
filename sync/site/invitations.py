"""The guest-invitations register as the moderator reads it (a page of the moderator's level):
who asked for which guest on which topic, and what was decided."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING

from sync.i18n.interface import Interface
from sync.site.posts import filled, isolate, time_html

if TYPE_CHECKING:
    from sync.model.register import Invitation


def invitations_html(
    title: str, invitations: Sequence[Invitation], t: Interface, topic_cell: Callable[[str], str]
) -> str:
    """The register, newest first; `topic_cell` renders a topic's id as its link."""
    heading = f"<h1>{escape(title)}</h1>"
    if not invitations:
        return heading + f"<p>{escape(t('no_invitations'))}</p>"
    keys = ["invitation_guest", "topic", "invitation_requested_by", "invitation_until"]
    keys.append("invitation_decision")
    head = "".join(f'<th scope="col">{escape(t(key))}</th>' for key in keys)
    rows = []
    for invitation in reversed(invitations):  # newest first
        if invitation.revoked:
            decision = filled(t, "invitation_revoked", date=time_html(invitation.revoked, t))
        elif invitation.decision == "declined":
            decision = filled(t, "invitation_declined", reason=isolate(escape(invitation.reason or "")))
        else:
            decision = escape(t("invitation_accepted"))
        guest = f"{invitation.name} (@{invitation.guest}){t('list_separator')}{invitation.organization}"
        cells = [
            isolate(escape(guest)),
            topic_cell(invitation.topic),
            escape(t.member_state(invitation.requested_by)),
            time_html(invitation.until, t),
            decision,
        ]
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    table = f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
    return heading + "\n" + f'<table class="forum-table forum-invitations">{table}</table>'
