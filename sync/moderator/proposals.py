"""The moderator's decision on a delegate's topic proposal.

Accepting a proposal plans it as the topic of a week (`content/schedule.yml`), crediting
the member state that proposed it; `forum topic publish-due` opens it when its week comes.
Declining it answers the proposal's discussion on GitHub with the reason. Either way the
proposal's `status` records the decision, which later syncs keep.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sync.github import writes
from sync.github.client import GitHubClient
from sync.model.content import load_forum, write_post
from sync.model.domain import Forum, Proposal, ProposalStatus
from sync.model.errors import given
from sync.moderator.schedule import PlannedTopic, ScheduleError, load_schedule, save_schedule, validate


def _open_proposal(forum: Forum, proposal_id: str) -> Proposal:
    proposal = next((p for p in forum.proposals if p.id == proposal_id), None)
    if proposal is None:
        raise ScheduleError(f"no proposal {proposal_id} in content/proposals/")
    if proposal.status is not ProposalStatus.OPEN:
        raise ScheduleError(f"proposal {proposal_id} was already {proposal.status.value}")
    return proposal


def accept(
    content: Path, languages: tuple[str, ...], proposal_id: str, week: str, category: str, today: date
) -> PlannedTopic:
    """Plan the proposal as the topic of `week`, credited to its member state."""
    forum = load_forum(content, languages)
    proposal = _open_proposal(forum, proposal_id)
    planned = PlannedTopic(
        week=week,
        category=category,
        language=proposal.language,
        title=proposal.title,
        body=proposal.body,
        translations={
            language: {"title": t.title or proposal.title, "body": t.body}
            for language, t in proposal.translations.items()
            if not t.outdated
        },
        proposed_by=proposal.member_state,
        proposal=proposal.id,
    )
    schedule = load_schedule(content)
    validate(planned, forum, schedule, today)
    save_schedule(content, [*schedule, planned])
    write_post(replace(proposal, status=ProposalStatus.ACCEPTED))
    return planned


def decline(
    content: Path, languages: tuple[str, ...], proposal_id: str, reason: str, client: GitHubClient | None
) -> Proposal:
    """Answer the proposal on GitHub with the reason, and record it as declined."""
    forum = load_forum(content, languages)
    proposal = _open_proposal(forum, proposal_id)
    if not reason.strip():
        raise ScheduleError(f"{given('reason')} is empty; say why, the delegation reads it on GitHub")
    if proposal.url:
        if client is None:
            raise ScheduleError(
                f"declining answers on GitHub: give {given('repository')} and {given('token')} (or GITHUB_*)"
            )
        answer = f"Thank you for this proposal. The moderator has declined it: {reason.strip()}"
        writes.add_comment(client, proposal.id, answer)
    declined = replace(proposal, status=ProposalStatus.DECLINED)
    write_post(declined)
    return declined
