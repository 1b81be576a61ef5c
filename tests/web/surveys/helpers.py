"""Users, waves and links for the survey collection tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from tests.web.factories import PASSWORD, make_user

from careties.relations.surveys import load_instrument
from careties.web.accounts.models import Role
from careties.web.surveys import services
from careties.web.surveys.models import Link, Wave

__all__ = ["PASSWORD", "make_user"]

COUNCIL = "E06000001"
OTHER_COUNCIL = "E06000002"


#: One user per role, scoped to COUNCIL where the role has a council.
ROLE_SCOPES = {
    "admin": (Role.SYSTEM_ADMIN, {}),
    "lead": (Role.COUNCIL_LEAD, {"la_codes": [COUNCIL]}),
    "analyst": (Role.COUNCIL_ANALYST, {"la_codes": [COUNCIL]}),
    "other_lead": (Role.COUNCIL_LEAD, {"la_codes": [OTHER_COUNCIL]}),
    "regional": (Role.REGIONAL, {"la_codes": [COUNCIL, OTHER_COUNCIL]}),
    "practice": (Role.PRACTICE, {"la_codes": [COUNCIL], "practice_code": "A81001"}),
    "social_worker": (Role.SOCIAL_WORKER, {"la_codes": [COUNCIL], "team_code": "TEAM-N"}),
    "no_role": (None, {}),
}


def user_for(name: str):
    role, scope = ROLE_SCOPES[name]
    return make_user(name, role, **scope)


def make_wave(
    instrument: str = "gp", name: str = "2025-W2", la_code: str = COUNCIL, **dates
) -> Wave:
    today = timezone.localdate()
    return Wave.objects.create(
        la_code=la_code,
        instrument=instrument,
        name=name,
        opens_on=dates.get("opens_on", today - dt.timedelta(days=1)),
        closes_on=dates.get("closes_on", today + dt.timedelta(days=30)),
    )


def make_link(
    wave: Wave, organisation: str | None = "A81001", single_use: bool = False, **extra
) -> Link:
    link = services.create_link(wave=wave, organisation=organisation, single_use=single_use)
    if extra:
        Link.objects.filter(pk=link.pk).update(**extra)
        link.refresh_from_db()
    return link


def complete_answers(instrument_id: str, comment: str = "") -> dict[str, object]:
    """Every required question answered with its first option, plus an optional comment."""
    instrument = load_instrument(instrument_id)
    answers: dict[str, object] = {}
    for question in instrument.questions:
        if question.free_text:
            if comment:
                answers[question.id] = comment
        elif question.required:
            first = question.options[0][0]
            answers[question.id] = [first] if question.kind == "multi" else first
    return answers


def section_posts(instrument_id: str, answers: dict[str, object]) -> list[dict[str, object]]:
    """The POST data of each section page, in order."""
    from careties.web.surveys.presenters import section_pages

    pages = section_pages(load_instrument(instrument_id))
    return [{q.id: answers[q.id] for q in page.questions if q.id in answers} for page in pages]
