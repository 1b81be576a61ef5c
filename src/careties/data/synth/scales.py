"""The three sizes of synthetic world, and the fixed calendar each runs on.

Dates are fixed (never today's date) so that the same seed gives the same
bytes on any day, and so that tests and screenshots do not drift.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: The end of every world's data and the registration extract's date: the same
#: calendar at every size, so figures compare across sizes.
DATA_END = dt.date(2026, 3, 31)
EXTRACT_DATE = dt.date(2025, 4, 1)


@dataclass(frozen=True)
class Scale:
    """How big a synthetic world is and which period its data covers.

    The defaults are what the council and England sizes share; the tiny world
    (for fast tests) differs in its team counts and its shorter calendar.
    """

    name: str
    n_councils: int
    n_practices: int
    #: Registered patients aged 65+ across all practices (approximate).
    patients_65_plus: int
    #: GP headcount (approximate; 2 to 10 per practice, by list size).
    gps: int
    #: Social care staff (social workers, OTs, care navigators), all councils.
    social_care_staff: int
    consultants_per_council: int
    data_start: dt.date
    older_people_per_council: int
    teams_per_council: int = 5
    services_per_council: int = 40
    data_end: dt.date = DATA_END
    programme_start: dt.date = dt.date(2025, 4, 1)
    #: The date of the one practice-registration extract published.
    extract_date: dt.date = EXTRACT_DATE


SURVEY_WAVES: tuple[tuple[str, dt.date], ...] = (
    ("2024-W1", dt.date(2024, 10, 15)),
    ("2025-W2", dt.date(2025, 10, 15)),
)

SCALES: dict[str, Scale] = {
    "tiny": Scale(
        name="tiny",
        n_councils=1,
        n_practices=8,
        patients_65_plus=9_000,
        gps=30,
        social_care_staff=15,
        consultants_per_council=2,
        data_start=dt.date(2025, 4, 1),
        older_people_per_council=60,
        teams_per_council=3,
        services_per_council=16,
        programme_start=dt.date(2025, 10, 1),
    ),
    "council": Scale(
        name="council",
        n_councils=1,
        n_practices=40,
        patients_65_plus=60_000,
        gps=200,
        social_care_staff=60,
        consultants_per_council=6,
        data_start=dt.date(2023, 4, 1),
        older_people_per_council=300,
    ),
    "england": Scale(
        name="england",
        n_councils=153,
        n_practices=6_300,
        patients_65_plus=10_900_000,
        gps=37_000,
        social_care_staff=20_000,
        consultants_per_council=5,
        data_start=dt.date(2021, 4, 1),
        older_people_per_council=150,
    ),
}


def get_scale(name: str) -> Scale:
    """The named scale, or a ``ValueError`` that lists the valid names."""
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown scale {name!r}; choose one of {', '.join(SCALES)}") from None


def financial_years(scale: Scale) -> list[int]:
    """Start years of the financial years (1 April - 31 March) the data covers."""
    return list(range(scale.data_start.year, scale.data_end.year))
