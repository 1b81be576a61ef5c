"""Better Care Fund inputs for the synthetic councils: emergency admissions, discharges, deprivation.

Written consistently with the rest of the synthetic world: the same councils,
practices and 65+ registered lists, the same months as the care events, and
the same programme (start date and targeted practices). Planted truths:

- practices serving more deprived populations admit more older people as
  emergencies (``DEPRIVATION_GRADIENT`` per point of IMD score, relative), so
  the slope index of inequality is positive;
- where the programme works, targeted practices' emergency admissions fall by
  ``EMERGENCY_SHARE`` of the programme effect (half of it: fewer crises among
  people kept out of residential care) from the programme's start;
- discharge delays shorten slowly over time, with winter peaks.

Its own random stream (seed, 19) keeps every other synthetic file bit-identical.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

#: The kinds this module writes.
BCF_KINDS = ("emergency_admissions", "discharges", "practice_deprivation")
#: Emergency admissions of people aged 65+ per person per year (England: about 0.25).
ANNUAL_RATE = 0.25
#: Relative change in a practice's rate per point of deprivation score above the mean.
DEPRIVATION_GRADIENT = 0.012
#: Share of the programme effect (on residential admissions) seen in emergency admissions.
EMERGENCY_SHARE = 0.5
#: Winter months (Dec-Feb) admit this much more than the yearly mean.
WINTER_EXCESS = 0.12
#: Acute adult discharges per person aged 65+ per year (all adult ages counted).
DISCHARGES_PER_65 = 0.45


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from ``start`` to ``end`` inclusive."""
    out, year, month = [], start.year, start.month
    while dt.date(year, month, 1) <= end:
        out.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def deprivation_scores(n_practices: int, rng: np.random.Generator) -> np.ndarray:
    """Practice IMD 2019 scores: skewed like England's (median about 20, range 3 to 70)."""
    return np.clip(rng.gamma(shape=3.5, scale=6.5, size=n_practices), 3.0, 70.0).round(1)


def generate_bcf(
    practices: pl.DataFrame,
    list_65_plus: np.ndarray,
    targeted: np.ndarray,
    start: dt.date,
    end: dt.date,
    programme_start: dt.date,
    programme_effect: float,
    seed: int,
) -> dict[str, pl.DataFrame]:
    """The three BCF frames, canonical shapes, and their planted truths under ``"truth"``."""
    rng = np.random.Generator(np.random.PCG64([seed, 19]))
    n = practices.height
    scores = deprivation_scores(n, rng)
    frailty = rng.lognormal(mean=0.0, sigma=0.12, size=n)
    factor = frailty * np.exp(DEPRIVATION_GRADIENT * (scores - scores.mean()))
    month_list = months(start, end)
    effect = EMERGENCY_SHARE * programme_effect
    rows_code, rows_month, rows_count = [], [], []
    for month in month_list:
        season = 1.0 + (WINTER_EXCESS if month.month in (12, 1, 2) else -WINTER_EXCESS / 3)
        after = month >= programme_start
        change = np.where(targeted & after, 1.0 + effect, 1.0)
        expected = list_65_plus * ANNUAL_RATE / 12.0 * season * factor * change
        rows_code.append(practices["practice_code"].to_numpy())
        rows_month.append(np.full(n, np.datetime64(month, "D")))
        rows_count.append(rng.poisson(expected))
    by_practice = pl.DataFrame(
        {
            "la_code": np.tile(practices["la_code"].to_numpy(), len(month_list)),
            "month": np.concatenate(rows_month),
            "practice_code": np.concatenate(rows_code),
            "admissions_65_plus": np.concatenate(rows_count).astype(np.int64),
        }
    )
    totals = (
        by_practice.group_by("la_code", "month")
        .agg(pl.col("admissions_65_plus").sum())
        .with_columns(pl.lit("ALL").alias("practice_code"))
        .select(by_practice.columns)
    )
    admissions = pl.concat([totals, by_practice]).sort("la_code", "month", "practice_code")

    council_65 = (
        pl.DataFrame({"la_code": practices["la_code"], "p65": list_65_plus})
        .group_by("la_code")
        .agg(pl.col("p65").sum())
        .sort("la_code")
    )
    discharge_rows = []
    for la_code, p65 in council_65.iter_rows():
        for i, month in enumerate(month_list):
            winter = month.month in (12, 1, 2)
            total = int(rng.poisson(p65 * DISCHARGES_PER_65 / 12.0 * (1.1 if winter else 1.0)))
            share_on = min(0.97, 0.84 + 0.002 * i - (0.03 if winter else 0.0))
            on_date = int(rng.binomial(total, share_on))
            mean_others = round(
                float(max(1.0, rng.normal(5.5 - 0.02 * i + (1.0 if winter else 0.0), 0.4))), 2
            )
            discharge_rows.append((la_code, month, total, on_date, mean_others))
    discharges = pl.DataFrame(
        discharge_rows,
        schema={
            "la_code": pl.String,
            "month": pl.Date,
            "discharges": pl.Int64,
            "discharged_on_ready_date": pl.Int64,
            "mean_delay_days_others": pl.Float64,
        },
        orient="row",
    )
    deprivation = pl.DataFrame(
        {
            "practice_code": practices["practice_code"],
            "year": pl.Series(["2019"] * n, dtype=pl.String),
            "deprivation_score": scores,
        }
    )
    truth = {
        "emergency_admissions_effect": effect,
        "deprivation_gradient": DEPRIVATION_GRADIENT,
        "applies_to": "emergency admissions aged 65+ of targeted practices' patients, from the programme start",
    }
    return {
        "emergency_admissions": admissions,
        "discharges": discharges,
        "practice_deprivation": deprivation,
        "truth": truth,
    }


def fingertips_layout(
    deprivation: pl.DataFrame, la_names: dict[str, str] | None = None
) -> pl.DataFrame:
    """The scores as OHID's Fingertips export writes them (the columns careties reads, plus a few)."""
    n = deprivation.height
    return pl.DataFrame(
        {
            "Indicator ID": ["93553"] * n,
            "Indicator Name": ["Deprivation score (IMD 2019)"] * n,
            "Area Code": deprivation["practice_code"],
            "Area Type": ["GPs"] * n,
            "Sex": ["Persons"] * n,
            "Age": ["All ages"] * n,
            "Time period": deprivation["year"],
            "Value": deprivation["deprivation_score"],
        }
    )
