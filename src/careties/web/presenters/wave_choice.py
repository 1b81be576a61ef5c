"""Which survey wave a figure comes from: deliberately, never just "the newest".

A new wave with six answers, or a test wave, must not take over every survey
figure. Unless the user picks a wave (``?wave=``), a figure uses the latest
wave that is *closed* (its closing date has passed; waves imported from files
are treated as closed) and that has at least the respondent floor (5,
REFERENCE.md) among the respondents the figure reads. Each direction of
relational coordination is read from its own instrument's qualifying wave, so
the social care side does not vanish when only GPs answered the newest wave.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.conf import settings
from django.utils import timezone

from careties.web.presenters.base import Context, NotAvailable
from careties.web.surveys.models import Wave

#: The survey whose respondents answer each direction of relational coordination.
DIRECTION_INSTRUMENT = {"gp_to_social_care": "gp", "social_care_to_gp": "social_worker"}


def respondent_floor() -> int:
    return int(settings.CARETIES_SUPPRESSION["min_survey_respondents"])


def open_wave_names(la_codes: list[str], today: dt.date | None = None) -> set[tuple[str, str]]:
    """(instrument, wave name) of the councils' waves still open or not yet closed."""
    today = today or timezone.localdate()
    return set(
        Wave.objects.filter(la_code__in=la_codes, closes_on__gte=today).values_list(
            "instrument", "name"
        )
    )


def respondent_counts(responses: pl.DataFrame) -> pl.DataFrame:
    """``wave, instrument, respondents`` (distinct response ids) of a responses frame."""
    return responses.group_by("wave", "instrument").agg(
        pl.col("response_id").n_unique().alias("respondents")
    )


def waves_reaching_floor(
    counts: pl.DataFrame,
    instrument: str | None,
    still_open: set[tuple[str, str]],
    floor: int,
) -> list[str]:
    """Closed waves with at least ``floor`` respondents to ``instrument`` (any when None), oldest first.

    Read from respondent counts (``wave, instrument, respondents``: :func:`respondent_counts`
    of a council's answers, or the counts the regional view keeps per council, summed here),
    so the dashboard and the regional view choose waves by one rule.
    """
    found = counts if instrument is None else counts.filter(pl.col("instrument") == instrument)
    found = found.group_by("wave", "instrument").agg(pl.col("respondents").sum())
    names: dict[str, int] = {}
    for row in found.iter_rows(named=True):
        if (row["instrument"], row["wave"]) in still_open:
            continue
        names[row["wave"]] = max(names.get(row["wave"], 0), row["respondents"])
    return sorted(name for name, n in names.items() if n >= floor)


def chosen_wave(ctx: Context, responses: pl.DataFrame, instrument: str | None = None) -> str:
    """The wave a figure shows: the user's choice, else the latest qualifying one."""
    counts = respondent_counts(responses) if not responses.is_empty() else None
    return chosen_wave_from_counts(ctx, counts, instrument)


def chosen_wave_from_counts(
    ctx: Context, counts: pl.DataFrame | None, instrument: str | None = None
) -> str:
    """:func:`chosen_wave` from respondent counts (``wave, instrument, respondents``)."""
    wanted = ctx.params.get("wave")
    available = set(counts["wave"].unique().to_list()) if counts is not None else set()
    if wanted and wanted in available:
        return wanted
    still_open = ctx.memo("open_waves", lambda: open_wave_names(list(ctx.la_codes)))
    found = (
        waves_reaching_floor(counts, instrument, still_open, respondent_floor())
        if counts is not None
        else []
    )
    if not found:
        who = {"gp": "GPs", "social_worker": "social care staff", "older_person": "older people"}
        among = f" among {who.get(instrument, instrument)}" if instrument else ""
        raise NotAvailable(
            f"No closed survey wave has at least {respondent_floor()} respondents{among} yet. "
            "Choose a wave to see one that is still open."
        )
    return found[-1]


def wave_note(wave: str, ctx: Context) -> str:
    """How the figure's wave was chosen, for the section's note."""
    if ctx.params.get("wave") == wave:
        return f"Wave {wave} (chosen)."
    return f"Wave {wave}: the latest closed wave with at least {respondent_floor()} respondents."
