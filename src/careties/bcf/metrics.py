"""The BCF 2025-26 headline metrics per financial quarter, and the on-track rule.

The framework's three headline metrics (docs/bcf.md says what could and could
not be confirmed from the primary source; what could not is configuration
here, in ``HEADLINE``):

1. emergency hospital admissions of people aged 65+ per 100,000 people 65+;
2. the average length of discharge delay of acute adult patients, in days:
   the share discharged on their discharge ready date contributes 0 days, the
   others their mean delay, so ``(1 - share_on_date) * mean_delay_others``,
   which is total days of delay over all discharges;
3. long-term admissions of people aged 65+ to residential and nursing care per
   100,000 people 65+ (ASCOF 2C, counted as ``referrals.admissions`` does).

Quarters are financial (Q1 = April to June) and labelled ``"2025-26 Q1"``.
Rates are per quarter (not annualised); a quarter is reported only when all
its months are in the data. The denominator is the ONS mid-year estimate of
the financial year's first calendar year, else the latest earlier one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from careties.referrals.admissions import new_admissions

PER = 100_000


@dataclass(frozen=True)
class HeadlineMetric:
    key: str
    name: str
    unit: str
    #: "down": lower is better (all three headline metrics).
    improvement: str
    definition: str
    source: str
    decimals: int = 1


HEADLINE: tuple[HeadlineMetric, ...] = (
    HeadlineMetric(
        "emergency_admissions_65",
        "Emergency admissions, people aged 65+",
        "per 100,000 aged 65+",
        "down",
        "Emergency hospital admissions of residents aged 65 and over in the quarter, "
        "per 100,000 residents aged 65 and over.",
        "emergency_admissions (ICB/SUS monthly figures); population (ONS mid-year estimate)",
    ),
    HeadlineMetric(
        "discharge_delay",
        "Average length of discharge delay, acute adult patients",
        "days",
        "down",
        "(1 - share discharged on their discharge ready date) x mean days of delay of the others: "
        "total days of delay over all discharges in the quarter.",
        "discharges (NHS England discharge ready date collection, by council of residence)",
        decimals=2,
    ),
    HeadlineMetric(
        "residential_admissions_65",
        "Long-term admissions to residential and nursing care, aged 65+ (ASCOF 2C)",
        "per 100,000 aged 65+",
        "down",
        "New council-supported long-term residential and nursing admissions of people aged 65 "
        "and over in the quarter, per 100,000 residents aged 65 and over.",
        "events (Client Level Data); population (ONS mid-year estimate)",
    ),
)
HEADLINE_KEYS: tuple[str, ...] = tuple(m.key for m in HEADLINE)
BY_KEY = {m.key: m for m in HEADLINE}
RESULT_COLUMNS = ("metric", "quarter", "numerator", "denominator", "value")


def quarter_label(date: dt.date) -> str:
    """``2025-05-01`` -> ``"2025-26 Q1"`` (financial year April to March)."""
    start = date.year if date.month >= 4 else date.year - 1
    return f"{start}-{(start + 1) % 100:02d} Q{((date.month - 4) % 12) // 3 + 1}"


def quarter_expr(column: str) -> pl.Expr:
    """The financial quarter label of a date column, as a Polars expression."""
    date = pl.col(column)
    start = pl.when(date.dt.month() >= 4).then(date.dt.year()).otherwise(date.dt.year() - 1)
    q = ((date.dt.month() - 4) % 12) // 3 + 1
    return pl.format("{}-{} Q{}", start, ((start + 1) % 100).cast(pl.String).str.zfill(2), q).alias(
        "quarter"
    )


def quarter_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter label."""
    start_year, q = int(label[:4]), int(label[-1])
    month = 4 + 3 * (q - 1)
    year = start_year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    first = dt.date(year, month, 1)
    next_month = month + 3
    last = dt.date(year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1) - dt.timedelta(1)
    return first, last


def plan_quarters(quarters: list[str], today: dt.date | None = None) -> list[str]:
    """Quarters a plan sets goals for: those with data, and every quarter of the latest one's
    financial year and the next (a BCF plan sets the year's goals before its data exist).

    With no data, the current financial year and the next.
    """
    latest = max(quarters) if quarters else quarter_label(today or dt.date.today())
    first = int(latest[:4])
    ahead = {f"{y}-{(y + 1) % 100:02d} Q{q}" for y in (first, first + 1) for q in range(1, 5)}
    return sorted(set(quarters) | ahead)


def _population(population: pl.DataFrame, la_code: str, quarter: str) -> int | None:
    rows = population.filter(
        (pl.col("la_code") == la_code) & (pl.col("year") <= int(quarter[:4]))
    ).sort("year")
    if rows.is_empty():
        rows = population.filter(pl.col("la_code") == la_code).sort("year").head(1)
    return None if rows.is_empty() else int(rows["population_65_plus"][-1])


def _complete_quarters(monthly: pl.DataFrame) -> pl.DataFrame:
    """Quarters with all three months present."""
    return (
        monthly.select("month")
        .unique()
        .with_columns(quarter_expr("month"))
        .group_by("quarter")
        .agg(pl.len().alias("months"))
        .filter(pl.col("months") == 3)
        .select("quarter")
    )


def _rates(counts: pl.DataFrame, population: pl.DataFrame, la_code: str, key: str) -> pl.DataFrame:
    rows = []
    for quarter, count in counts.sort("quarter").iter_rows():
        denominator = _population(population, la_code, quarter)
        value = None if not denominator else count / denominator * PER
        rows.append((key, quarter, float(count), denominator, value))
    return _frame(rows)


def _frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "metric": pl.String,
            "quarter": pl.String,
            "numerator": pl.Float64,
            "denominator": pl.Float64,
            "value": pl.Float64,
        },
        orient="row",
    )


def emergency_admissions_rate(
    admissions: pl.DataFrame, population: pl.DataFrame, la_code: str
) -> pl.DataFrame:
    """Metric 1 per complete quarter: council totals (``ALL`` rows), else the sum of practices."""
    council = admissions.filter(pl.col("la_code") == la_code)
    totals = council.filter(pl.col("practice_code") == "ALL")
    practices = council.filter(pl.col("practice_code") != "ALL")
    without_total = practices.join(totals.select("month"), on="month", how="anti")
    monthly = pl.concat(
        [
            totals.select("month", "admissions_65_plus"),
            without_total.group_by("month").agg(pl.col("admissions_65_plus").sum()),
        ]
    )
    counts = (
        monthly.with_columns(quarter_expr("month"))
        .join(_complete_quarters(monthly), on="quarter")
        .group_by("quarter")
        .agg(pl.col("admissions_65_plus").sum())
    )
    return _rates(counts, population, la_code, "emergency_admissions_65")


def discharge_delay(discharges: pl.DataFrame, la_code: str) -> pl.DataFrame:
    """Metric 2 per complete quarter: total days of delay / all discharges.

    ``numerator`` is the total days of delay (others x their mean delay),
    ``denominator`` the discharges.
    """
    monthly = discharges.filter(pl.col("la_code") == la_code)
    if monthly.is_empty():
        return _frame([])
    quarters = (
        monthly.with_columns(
            quarter_expr("month"),
            (
                (pl.col("discharges") - pl.col("discharged_on_ready_date"))
                * pl.col("mean_delay_days_others").fill_null(0.0)
            ).alias("delay_days"),
        )
        .join(_complete_quarters(monthly), on="quarter")
        .group_by("quarter")
        .agg(pl.col("delay_days").sum(), pl.col("discharges").sum())
        .sort("quarter")
    )
    rows = [
        ("discharge_delay", q, days, float(n), days / n if n else None)
        for q, days, n in quarters.iter_rows()
    ]
    return _frame(rows)


def discharge_components(discharges: pl.DataFrame, la_code: str) -> pl.DataFrame:
    """Per quarter: the share discharged on the ready date and the mean delay of the others."""
    return (
        discharges.filter(pl.col("la_code") == la_code)
        .with_columns(
            quarter_expr("month"),
            (
                (pl.col("discharges") - pl.col("discharged_on_ready_date"))
                * pl.col("mean_delay_days_others").fill_null(0.0)
            ).alias("delay_days"),
        )
        .group_by("quarter")
        .agg(
            pl.col("discharges").sum(),
            pl.col("discharged_on_ready_date").sum(),
            pl.col("delay_days").sum(),
        )
        .with_columns(
            (pl.col("discharged_on_ready_date") / pl.col("discharges")).alias(
                "share_on_ready_date"
            ),
            (
                pl.col("delay_days") / (pl.col("discharges") - pl.col("discharged_on_ready_date"))
            ).alias("mean_delay_others"),
        )
        .sort("quarter")
    )


def residential_admissions_rate(
    events: pl.DataFrame, population: pl.DataFrame, la_code: str
) -> pl.DataFrame:
    """Metric 3 per quarter from the first to the last event's quarter (ASCOF 2C admissions)."""
    council = events.filter(pl.col("la_code") == la_code)
    if council.is_empty():
        return _frame([])
    admitted = new_admissions(council).with_columns(quarter_expr("start_date"))
    first, last = council["start_date"].min(), council["start_date"].max()
    quarters, day = [], first
    while day <= last:
        label = quarter_label(day)
        quarters.append(label)
        day = quarter_bounds(label)[1] + dt.timedelta(1)
    grid = pl.DataFrame({"quarter": quarters})
    counts = grid.join(
        admitted.group_by("quarter").agg(pl.len().alias("n")), on="quarter", how="left"
    ).with_columns(pl.col("n").fill_null(0))
    return _rates(counts, population, la_code, "residential_admissions_65")


def headline_actuals(frames: dict[str, pl.DataFrame], la_code: str) -> pl.DataFrame:
    """All three metrics, long: ``metric, quarter, numerator, denominator, value``.

    ``frames`` holds canonical frames by kind; a missing kind gives no rows for its metric.
    """
    population = frames.get("population")
    if population is None:
        population = pl.DataFrame(
            schema={"la_code": pl.String, "year": pl.Int64, "population_65_plus": pl.Int64}
        )
    parts = []
    if frames.get("emergency_admissions") is not None:
        parts.append(emergency_admissions_rate(frames["emergency_admissions"], population, la_code))
    if frames.get("discharges") is not None:
        parts.append(discharge_delay(frames["discharges"], la_code))
    if frames.get("events") is not None:
        parts.append(residential_admissions_rate(frames["events"], population, la_code))
    return pl.concat(parts) if parts else _frame([])


def on_track(actual: float | None, goal: float | None, improvement: str = "down") -> bool | None:
    """The BCF return's rule: on track when the actual is at or better than the goal.

    ``None`` when either is missing: no goal, or no data yet for the quarter.
    """
    if actual is None or goal is None:
        return None
    return actual <= goal if improvement == "down" else actual >= goal
