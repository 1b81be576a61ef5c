"""Writes for survey collection: waves, links, drafts and submissions.

A submission becomes canonical ``survey_responses`` rows (one per answer) and
free-text comments stored apart, all in one transaction together with the
spending of a single-use link, so a survey is either stored whole or not at
all, and a single-use link can never store two.

The writes are services as the HackSoft styleguide writes them: keyword-only,
typed arguments, one transaction each. A council user's writes (waves, links)
name the user and write the audit log inside the transaction. A respondent's
(drafts, submissions) name nobody and are not audited, on purpose: a
respondent is anonymous, and an audit entry with a time against a link would
tie a set of answers to the person a personal link was sent to.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from careties.relations.surveys import Instrument, load_instrument, validate_answers
from careties.web.store.services import record_audit

from .models import Draft, Link, Wave
from .storage import Answers, Submission, answer_rows, store_answers

#: Letters and digits a person reads back without confusing them (no 0/O, 1/I/L).
RESUME_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class LinkRefused(Exception):
    """The link cannot take answers; ``message`` says why, for the respondent."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class NothingStored(Exception):
    """Answers or a file were refused whole, for ``errors``: each one is shown to be fixed.

    ``summary`` says how many, in the words of the refusal.
    """

    summary = "{count} problems found; nothing was stored"

    def __init__(self, errors) -> None:
        super().__init__(self.summary.format(count=len(errors)))
        self.errors = errors


class AnswersInvalid(NothingStored):
    """The answers failed ``validate_answers``; ``errors`` maps question id to message."""

    summary = "{count} answers need attention"


def new_token() -> str:
    """A link token: 192 random bits, URL-safe, so links cannot be guessed or enumerated."""
    return secrets.token_urlsafe(24)


def new_resume_code() -> str:
    """A resume code: 12 characters from a 31-letter alphabet (~59 bits), in groups of four.

    Short enough to copy down by hand, long enough not to be guessed; the
    link token is needed as well to use it.
    """
    raw = "".join(secrets.choice(RESUME_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def normalise_resume_code(code: str) -> str:
    """Accept a code typed in lower case, with spaces, or without its dashes."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def stored_user(user: User | None) -> User | None:
    """The user to store as a row's author: None for careties itself (the demo, commands)."""
    return user if getattr(user, "pk", None) else None


def audit_wave(
    wave: Wave, what: str, *, user: User | None, detail: str = "", action: str = "change"
) -> None:
    """Write the audit log's line for something done to ``wave``, against the wave's council."""
    record_audit(action=action, what=what, user=user, la_code=wave.la_code, detail=detail)


def long_date(day: dt.date) -> str:
    """A date as the NHS style guide writes it: 3 March 2025."""
    return f"{day.day} {day:%B %Y}"


# Waves -----------------------------------------------------------------------


def save_wave(*, wave: Wave, user: User | None) -> Wave:
    """Create or update a wave, and record who did it (``None``: careties itself, the demo)."""
    with transaction.atomic():
        created = wave.pk is None
        if created:
            wave.created_by = stored_user(user)
        wave.full_clean()
        wave.save()
        audit_wave(
            wave,
            f"survey wave {wave.name} {'created' if created else 'edited'}",
            user=user,
            detail=f"{wave.instrument} {wave.opens_on} to {wave.closes_on}",
        )
    return wave


# Links -----------------------------------------------------------------------


def create_link(
    *,
    wave: Wave,
    organisation: str | None,
    single_use: bool,
    expires_at: dt.datetime | None = None,
    label: str = "",
    user: User | None = None,
    audit: bool = True,
) -> Link:
    """A new anonymous link into ``wave`` for one practice or team (or none, for older people).

    ``audit=False``: the caller (inviting a list of people) records one entry for the batch.
    """
    with transaction.atomic():
        link = Link.objects.create(
            token=new_token(),
            wave=wave,
            organisation=(organisation or "").strip().upper() or None,
            label=label,
            single_use=single_use,
            expires_at=expires_at,
            created_by=stored_user(user),
        )
        if audit:
            audit_wave(
                wave,
                f"survey link created in wave {wave.name}",
                user=user,
                detail=f"organisation {link.organisation or '-'}, single use {single_use}",
            )
    return link


def create_links(
    *,
    wave: Wave,
    organisations: Sequence[str | None],
    single_use: bool,
    expires_at: dt.datetime | None = None,
    user: User | None,
) -> list[Link]:
    """One link per organisation, in one transaction: all of them or none."""
    with transaction.atomic():
        return [
            create_link(
                wave=wave,
                organisation=org,
                single_use=single_use,
                expires_at=expires_at,
                user=user,
            )
            for org in organisations
        ]


def refusal(link: Link, today: dt.date | None = None) -> LinkRefused | None:
    """Why ``link`` cannot take answers now, or None if it can."""
    now = timezone.now()
    today = today or timezone.localdate()
    wave = link.wave
    if link.single_use and link.used:
        return LinkRefused(
            "used",
            "This link has already been used to answer the survey. Each link of this kind "
            "can be used only once, so your answers have already been received. If you "
            "think this is wrong, ask the person who sent you the link for a new one.",
        )
    if link.expires_at is not None and now >= link.expires_at:
        return LinkRefused(
            "expired",
            "This survey link has expired, so it cannot take answers any more. "
            "If you still want to take part, ask the person who sent it for a new link.",
        )
    if today < wave.opens_on:
        return LinkRefused(
            "not_open",
            f"This survey is not open yet. It opens on {long_date(wave.opens_on)}.",
        )
    if wave.closed_at is not None:
        return LinkRefused(
            "closed",
            "This survey has been closed by the council, so it cannot take answers any more.",
        )
    if today > wave.closes_on:
        return LinkRefused(
            "closed",
            f"This survey closed on {long_date(wave.closes_on)}, so it cannot take answers any more.",
        )
    return None


def open_link(token: str) -> Link:
    """The link for ``token`` if it can take answers; raises ``LinkRefused`` otherwise."""
    link = Link.objects.select_related("wave").filter(token=token).first()
    if link is None:
        raise LinkRefused(
            "unknown",
            "We cannot find this survey link. Check that you copied the whole link, "
            "or ask the person who sent it for a new one.",
        )
    refused = refusal(link)
    if refused is not None:
        raise refused
    return link


def instrument_for(wave: Wave) -> Instrument:
    return load_instrument(wave.instrument)


# Drafts ----------------------------------------------------------------------


def save_draft(*, link: Link, answers: Answers, section: int, resume_code: str | None) -> Draft:
    """Keep the answers so far against a resume code (a new one if none is given).

    The respondent is anonymous: no user, no audit entry (see the module's note).
    """
    with transaction.atomic():
        if resume_code:
            draft = Draft.objects.filter(resume_code=resume_code, link=link).first()
            if draft is not None:
                draft.answers = dict(answers)
                draft.section = section
                draft.save(update_fields=["answers", "section", "updated_at"])
                return draft
        return Draft.objects.create(
            resume_code=new_resume_code(), link=link, answers=dict(answers), section=section
        )


def find_draft(link: Link, resume_code: str) -> Draft | None:
    return Draft.objects.filter(link=link, resume_code=normalise_resume_code(resume_code)).first()


def purge_drafts(*, older_than: dt.timedelta = dt.timedelta(days=60)) -> int:
    """Delete drafts untouched for ``older_than``, or whose wave has closed.

    Run by careties itself (``careties.web.survey_guard``, at most hourly); a
    purge that deletes anything leaves an audit entry with no user.
    """
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        stale = Draft.objects.filter(updated_at__lt=cutoff) | Draft.objects.filter(
            link__wave__closes_on__lt=timezone.localdate()
        )
        deleted, _ = stale.delete()
        if deleted:
            record_audit(
                action="change",
                what="saved survey drafts purged",
                detail=f"{deleted} drafts untouched for {older_than.days} days or of closed waves",
            )
    return deleted


# Submissions -----------------------------------------------------------------


def web_source(wave: Wave) -> str:
    """The ``source`` of web-submitted rows: the wave, never the link or respondent."""
    return f"web survey wave {wave.pk}"


def submit(*, link: Link, answers: Answers, resume_code: str | None = None) -> Submission:
    """Validate and store a completed survey from ``link``; spend the link if single use.

    Raises ``AnswersInvalid`` (nothing stored) or ``LinkRefused`` (the link was
    spent, expired or closed in the meantime, checked again inside the
    transaction so that two people racing on one single-use link cannot both
    store).
    """
    instrument = instrument_for(link.wave)
    errors = validate_answers(instrument, answers)
    if errors:
        raise AnswersInvalid(errors)
    coded, comments = answer_rows(instrument, answers)
    with transaction.atomic():
        link = Link.objects.select_related("wave").get(pk=link.pk)
        refused = refusal(link)
        if refused is not None:
            raise refused
        if link.single_use:
            claimed = Link.objects.filter(pk=link.pk, used=False).update(
                used=True, submissions=F("submissions") + 1
            )
            if not claimed:
                raise refusal(Link.objects.get(pk=link.pk)) or LinkRefused("used", "Used")
        else:
            # A shared link takes no more responses than the people it is for (survey_guard).
            from careties.web.survey_guard import shared_link_cap

            taken = Link.objects.filter(pk=link.pk, submissions__lt=shared_link_cap(link)).update(
                submissions=F("submissions") + 1
            )
            if not taken:
                raise LinkRefused(
                    "full",
                    "This link has taken as many answers as there are people it was sent to. "
                    "If you have not answered yet, ask the person who sent it for a link of "
                    "your own.",
                )
        invitation = getattr(link, "invitation", None) if link.single_use else None
        submission = store_answers(
            wave=link.wave,
            organisation=link.organisation,
            coded=coded,
            comments=comments,
            source=web_source(link.wave),
            respondent_id=None if invitation is None else invitation.respondent_ref,
        )
        if resume_code:
            Draft.objects.filter(link=link, resume_code=resume_code).delete()
    return submission
