"""Running a wave like a survey platform: who is asked, who has answered, close and reopen.

careties sends no email, so each person asked gets a personal single-use link, printed on
a letter with a QR code (:mod:`letters`). The people asked come from the professionals the
council has loaded (by role and organisation) or from a CSV list. Response rates are
counted per practice, team and role from the links spent, with a warning where a group
cannot, or has not yet, reached the respondent floor below which its results stay hidden.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import polars as pl
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from careties.web import selectors

from .models import Invitation, Wave
from .services import audit_wave, create_link, long_date

#: A pseudonymous reference: letters, digits, dash, underscore, dot (never a name with spaces).
REF_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
ROLE_PATTERN = re.compile(r"^[a-z][a-z_]{1,39}$")
CSV_COLUMNS = ("respondent_ref", "role", "organisation")


class RosterError(ValueError):
    """A respondent list cannot be used; ``problems`` lists row, column and reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


@dataclass(frozen=True)
class Person:
    """Someone to invite: pseudonymous reference, role, practice or team."""

    ref: str
    role: str
    organisation: str | None


def roster(
    la_code: str, roles: list[str] | None = None, organisations: list[str] | None = None
) -> list[Person]:
    """The council's loaded professionals, optionally only some roles or organisations."""
    people = selectors.load_frame("professionals", la_code)
    if roles:
        people = people.filter(pl.col("role").is_in(roles))
    if organisations:
        people = people.filter(pl.col("organisation").is_in(organisations))
    people = people.unique("professional_id").sort("organisation", "role", "professional_id")
    return [
        Person(ref, role, organisation)
        for ref, role, organisation in people.select(
            "professional_id", "role", "organisation"
        ).iter_rows()
    ]


def roster_from_csv(data: bytes) -> list[Person]:
    """A respondent list from CSV with columns ``respondent_ref, role, organisation``.

    Every problem is reported with its row and column, and nothing is used if any row is
    wrong. References must be pseudonymous codes (no spaces): careties stores no names.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(["The file is not UTF-8 text: save it as CSV UTF-8"]) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS[:2] if c not in (reader.fieldnames or [])]
    if missing:
        raise RosterError([f"Row 1: missing column(s) {', '.join(missing)}"])
    people, problems, seen = [], [], set()
    for number, row in enumerate(reader, start=2):
        ref = (row.get("respondent_ref") or "").strip()
        role = (row.get("role") or "").strip().lower()
        organisation = (row.get("organisation") or "").strip().upper() or None
        if not REF_PATTERN.match(ref):
            problems.append(
                f"Row {number}, column respondent_ref: {ref!r} is not a pseudonymous reference "
                "(letters, digits, dashes; no spaces or names)"
            )
        elif ref in seen:
            problems.append(f"Row {number}, column respondent_ref: {ref} is listed twice")
        if not ROLE_PATTERN.match(role):
            problems.append(f"Row {number}, column role: {role!r} is not a role code such as gp")
        seen.add(ref)
        people.append(Person(ref, role, organisation))
    if problems:
        raise RosterError(problems)
    if not people:
        raise RosterError(["The file has no rows"])
    return people


def invite(*, wave: Wave, people: list[Person], user: User | None) -> list[Invitation]:
    """A personal single-use link for everyone in ``people`` not yet invited to ``wave``,
    all in one transaction with its audit entry."""
    made = []
    with transaction.atomic():
        already = set(wave.invitations.values_list("respondent_ref", flat=True))
        for person in people:
            if person.ref in already:
                continue
            link = create_link(
                wave=wave,
                organisation=person.organisation,
                single_use=True,
                label=f"{person.role} {person.ref}",
                user=user,
                audit=False,
            )
            made.append(
                Invitation.objects.create(
                    wave=wave,
                    link=link,
                    respondent_ref=person.ref,
                    role=person.role,
                    organisation=link.organisation,
                )
            )
            already.add(person.ref)
        audit_wave(
            wave,
            f"survey wave {wave.name}: {len(made)} personal links made",
            user=user,
            detail=f"{len(people) - len(made)} already invited",
        )
    return made


def invitations_frame(wave: Wave) -> pl.DataFrame:
    rows = wave.invitations.select_related("link").values_list(
        "respondent_ref", "role", "organisation", "link__used", "reminders"
    )
    return pl.DataFrame(
        list(rows),
        schema={
            "respondent_ref": pl.String,
            "role": pl.String,
            "organisation": pl.String,
            "answered": pl.Boolean,
            "reminders": pl.Int64,
        },
        orient="row",
    )


def response_rates(wave: Wave, by: str, floor: int) -> pl.DataFrame:
    """``by`` (``organisation`` or ``role``), ``invited``, ``answered``, ``rate`` (percent),
    ``still_to_answer`` and ``warning``: why results for the group are or may be hidden."""
    frame = invitations_frame(wave)
    if frame.is_empty():
        return pl.DataFrame(schema={by: pl.String, "invited": pl.Int64, "answered": pl.Int64})
    grouped = (
        frame.group_by(by)
        .agg(invited=pl.len().cast(pl.Int64), answered=pl.col("answered").sum().cast(pl.Int64))
        .with_columns(
            rate=(100.0 * pl.col("answered") / pl.col("invited")).round(0),
            still_to_answer=pl.col("invited") - pl.col("answered"),
        )
        .sort(by, nulls_last=True)
    )
    warning = (
        pl.when(pl.col("invited") < floor)
        .then(pl.lit(f"Fewer than {floor} asked: results for this group will always be hidden"))
        .when(pl.col("answered") < floor)
        .then(
            pl.format(
                "{} more answers needed before results are shown",
                pl.lit(floor) - pl.col("answered"),
            )
        )
        .otherwise(pl.lit(""))
    )
    return grouped.with_columns(warning=warning)


def reminder_list(wave: Wave, *, reveal: bool) -> pl.DataFrame:
    """Who has not answered: by reference for the council lead (``reveal``), otherwise as
    "Person 1, 2, ..." per practice or team and role, so nobody else can tell who."""
    frame = invitations_frame(wave).filter(~pl.col("answered"))
    if not reveal:
        frame = frame.with_columns(
            respondent_ref=pl.format("Person {}", pl.int_range(1, pl.len() + 1))
        )
    return frame.select("organisation", "role", "respondent_ref", "reminders")


def mark_reminded(*, wave: Wave, user: User | None) -> int:
    """Count a reminder against everyone who has not answered (letters reprinted)."""
    with transaction.atomic():
        pending = wave.invitations.filter(link__used=False)
        count = pending.update(reminders=F("reminders") + 1)
        audit_wave(wave, f"survey wave {wave.name}: reminders for {count}", user=user)
    return count


def close_wave(*, wave: Wave, user: User | None) -> Wave:
    """Stop the wave taking answers now (every link refuses), whatever its closing date."""
    with transaction.atomic():
        wave.closed_at = timezone.now()
        wave.save(update_fields=["closed_at"])
        audit_wave(wave, f"survey wave {wave.name} closed", user=user)
    return wave


def reopen_wave(*, wave: Wave, user: User | None) -> Wave:
    """Take answers again (until ``closes_on``); unused links work again."""
    with transaction.atomic():
        wave.closed_at = None
        wave.save(update_fields=["closed_at"])
        audit_wave(
            wave,
            f"survey wave {wave.name} reopened",
            user=user,
            detail=f"open until {long_date(wave.closes_on)}",
        )
    return wave
