"""Every network metric per quarter and SPC on council series (the falls: ``drops``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypedDict, Unpack

import polars as pl

from careties.data.codes import ENGLAND_CODE
from careties.errors import NotEnoughData
from careties.relations.network.brokerage import betweenness, burt_constraint
from careties.relations.network.build import build_network
from careties.relations.network.graph import ProfessionalNetwork
from careties.relations.network.health import relationship_health
from careties.relations.network.isolation import isolated_practices, weak_ties

#: Metrics in the council frame, with the direction in which each improves (for SPC).
COUNCIL_METRICS: dict[str, str | None] = {
    "professionals": None,
    "ties": "up",
    "density": "up",
    "cross_agency_density": "up",
    "ei_index_agency": "up",
    "reciprocity": "up",
    "mean_tie_strength": "up",
    "isolated_practices": "down",
    "weak_or_missing_ties": "down",
    "mean_health_score": "up",
    "mean_practice_constraint": "down",
}


@dataclass(frozen=True)
class QuarterlyMetrics:
    """``council``: one row per council (and England, ``E92000001``) per quarter, columns
    ``quarter, quarter_end, la_code`` and :data:`COUNCIL_METRICS`. ``practice``: one row per
    practice per quarter: ``quarter, quarter_end, practice_code, la_code``, the health
    components, weights and ``score`` of :func:`relationship_health`,
    ``social_care_tie_strength, teams_reached, constraint, betweenness, isolated``."""

    council: pl.DataFrame
    practice: pl.DataFrame


def quarter_label(quarter_end: date) -> str:
    """NHS financial-year quarter label: the quarter ending 30 June 2024 is ``2024/25 Q1``."""
    fy = quarter_end.year if quarter_end.month >= 4 else quarter_end.year - 1
    q = {6: 1, 9: 2, 12: 3, 3: 4}[quarter_end.month]
    return f"{fy}/{(fy + 1) % 100:02d} Q{q}"


def quarter_ends(start: date, end: date) -> list[date]:
    """Calendar quarter ends (31 Mar, 30 Jun, 30 Sep, 31 Dec) from ``start`` to ``end``."""
    ends = []
    for year in range(start.year, end.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            d = date(year, month, day)
            if start <= d <= end:
                ends.append(d)
    return ends


def _survey_as_of(frame: pl.DataFrame | None, quarter_end: date) -> pl.DataFrame | None:
    """Survey scores in force at ``quarter_end``: each practice's latest with ``as_of`` on or
    before it (a frame without ``as_of`` applies to every quarter)."""
    if frame is None or "as_of" not in frame.columns:
        return frame
    current = frame.filter(pl.col("as_of") <= quarter_end)
    return current.sort("as_of").group_by("practice_code").last()


def _council_metrics(
    person: ProfessionalNetwork,
    health: pl.DataFrame,
    isolated: pl.DataFrame,
    gaps: pl.DataFrame,
    constraint: pl.DataFrame,
) -> pl.DataFrame:
    nodes = person.nodes.select("node_id", "la_code", "agency")
    edges = (
        person.edges.select(
            "source", "target", "strength", "reciprocated", "from_source", "from_target"
        )
        .join(nodes.rename({"node_id": "source", "la_code": "la_a", "agency": "ag_a"}), on="source")
        .join(nodes.rename({"node_id": "target", "la_code": "la_b", "agency": "ag_b"}), on="target")
    )
    sizes = nodes.group_by("la_code").agg(
        professionals=pl.len().cast(pl.Int64),
        health_staff=(pl.col("agency") == "health").sum().cast(pl.Int64),
        care_staff=(pl.col("agency") == "social_care").sum().cast(pl.Int64),
    )

    def summarise(frame: pl.DataFrame, key: pl.Expr) -> pl.DataFrame:
        is_cross = ((pl.col("ag_a") == "health") & (pl.col("ag_b") == "social_care")) | (
            (pl.col("ag_a") == "social_care") & (pl.col("ag_b") == "health")
        )
        directed = (pl.col("from_source") > 0).cast(pl.Int64) + (pl.col("from_target") > 0).cast(
            pl.Int64
        )
        return frame.group_by(key.alias("la_code")).agg(
            ties=pl.len().cast(pl.Int64),
            cross_agency_ties=is_cross.sum().cast(pl.Int64),
            external=(pl.col("ag_a") != pl.col("ag_b")).sum().cast(pl.Int64),
            mean_tie_strength=pl.col("strength").mean(),
            _mutual=(pl.col("reciprocated").cast(pl.Int64) * 2).sum(),
            _directed=directed.sum(),
        )

    within = summarise(edges.filter(pl.col("la_a") == pl.col("la_b")), pl.col("la_a"))
    england = summarise(edges, pl.lit(ENGLAND_CODE))
    england_sizes = sizes.select(
        pl.lit(ENGLAND_CODE).alias("la_code"),
        pl.col("professionals", "health_staff", "care_staff").sum(),
    )
    practice_stats = (
        health.join(constraint, on="practice_code", how="left")
        .group_by("la_code")
        .agg(
            mean_health_score=pl.col("score").mean(),
            mean_practice_constraint=pl.col("constraint").mean(),
        )
    )
    practice_eng = health.join(constraint, on="practice_code", how="left").select(
        pl.lit(ENGLAND_CODE).alias("la_code"),
        mean_health_score=pl.col("score").mean(),
        mean_practice_constraint=pl.col("constraint").mean(),
    )
    iso = isolated.group_by("la_code").agg(isolated_practices=pl.len().cast(pl.Int64))
    gap = gaps.group_by("la_code").agg(weak_or_missing_ties=pl.len().cast(pl.Int64))
    iso_eng = pl.DataFrame({"la_code": [ENGLAND_CODE], "isolated_practices": [isolated.height]})
    gap_eng = pl.DataFrame({"la_code": [ENGLAND_CODE], "weak_or_missing_ties": [gaps.height]})
    out = pl.concat(
        [
            sizes.join(within, on="la_code", how="left")
            .join(practice_stats, on="la_code", how="left")
            .join(iso, on="la_code", how="left")
            .join(gap, on="la_code", how="left"),
            england_sizes.join(england, on="la_code", how="left")
            .join(practice_eng, on="la_code", how="left")
            .join(iso_eng.cast({"isolated_practices": pl.Int64}), on="la_code", how="left")
            .join(gap_eng.cast({"weak_or_missing_ties": pl.Int64}), on="la_code", how="left"),
        ],
        how="vertical_relaxed",
    )
    n = pl.col("professionals").cast(pl.Float64)
    out = out.with_columns(
        pl.col(
            "ties", "cross_agency_ties", "external", "isolated_practices", "weak_or_missing_ties"
        ).fill_null(0),
    ).with_columns(
        density=pl.when(n > 1).then(pl.col("ties") / (n * (n - 1) / 2)),
        cross_agency_density=pl.when(pl.col("health_staff") * pl.col("care_staff") > 0).then(
            pl.col("cross_agency_ties") / (pl.col("health_staff") * pl.col("care_staff"))
        ),
        ei_index_agency=pl.when(pl.col("ties") > 0).then(
            (2 * pl.col("external") - pl.col("ties")) / pl.col("ties")
        ),
        reciprocity=pl.when(pl.col("_directed") > 0).then(pl.col("_mutual") / pl.col("_directed")),
    )
    return out.select("la_code", *COUNCIL_METRICS).sort("la_code")


class SnapshotOptions(TypedDict, total=False):
    """What a snapshot may be given beyond the frames and the date (see :func:`network_snapshot`)."""

    half_life_days: float
    relational_coordination: pl.DataFrame | None
    knowledge: pl.DataFrame | None
    named_ties: pl.DataFrame | None
    betweenness_sample: int | str | None


def network_snapshot(
    professionals: pl.DataFrame,
    contacts: pl.DataFrame,
    events: pl.DataFrame | None,
    as_of: date,
    *,
    window_days: int = 365,
    half_life_days: float = 180.0,
    relational_coordination: pl.DataFrame | None = None,
    knowledge: pl.DataFrame | None = None,
    named_ties: pl.DataFrame | None = None,
    betweenness_sample: int | str | None = "auto",
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """All metrics at one date: (council frame, practice frame) as in :class:`QuarterlyMetrics`."""
    person = build_network(
        professionals,
        contacts,
        events,
        as_of=as_of,
        half_life_days=half_life_days,
        window_days=window_days,
        named_ties=named_ties,
    )
    org = person.aggregate("organisation")
    health = relationship_health(
        org, _survey_as_of(relational_coordination, as_of), _survey_as_of(knowledge, as_of)
    )
    isolated = isolated_practices(professionals, contacts, as_of, window_days=window_days)
    gaps = weak_ties(org)
    constraint = burt_constraint(org).rename({"node_id": "practice_code"})
    between = betweenness(org, sample=betweenness_sample).rename({"node_id": "practice_code"})
    council = _council_metrics(person, health, isolated, gaps, constraint)
    practice = (
        health.join(constraint, on="practice_code", how="left")
        .join(between, on="practice_code", how="left")
        .with_columns(isolated=pl.col("practice_code").is_in(isolated["practice_code"].implode()))
    )
    return council, practice


def series_quarter_ends(
    contacts: pl.DataFrame,
    *,
    start: date | None = None,
    end: date | None = None,
    window_days: int = 365,
) -> list[date]:
    """The quarter ends :func:`metrics_by_quarter` measures at; the last one is the period
    every "now" figure of a practice's relationships is read for (its health score, its
    ties, the network drawing), so that they agree on one page.

    From the first quarter end a full window after the first contact (or ``start``) to the
    last quarter end in the data (or ``end``).
    """
    first, last = contacts["contact_date"].min(), contacts["contact_date"].max()
    if first is None or last is None:
        raise NotEnoughData("No contacts: a network needs at least one contact.")
    if start is None:
        start = date.fromordinal(first.toordinal() + window_days - 1)
        if start > last:
            start = first
    return quarter_ends(start, end or last)


def metrics_by_quarter(
    professionals: pl.DataFrame,
    contacts: pl.DataFrame,
    events: pl.DataFrame | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
    window_days: int = 365,
    **options: Unpack[SnapshotOptions],
) -> QuarterlyMetrics:
    """Every metric at each quarter end, over the ``window_days`` before it.

    Quarters run from the first quarter end a full window after the first contact (or
    ``start``) to the last quarter end in the data (or ``end``). ``options`` are those of
    :func:`network_snapshot` (half-life, survey frames, named ties, betweenness sample).
    Survey frames may carry an ``as_of`` date column (the date a wave's scores apply from);
    each quarter then uses the latest wave on or before its end.
    """
    ends = series_quarter_ends(contacts, start=start, end=end, window_days=window_days)
    councils, practices = [], []
    for quarter_end in ends:
        council, practice = network_snapshot(
            professionals, contacts, events, quarter_end, window_days=window_days, **options
        )
        label = pl.lit(quarter_label(quarter_end))
        stamp = pl.lit(quarter_end)
        councils.append(
            council.select(label.alias("quarter"), stamp.alias("quarter_end"), *council.columns)
        )
        practices.append(
            practice.select(label.alias("quarter"), stamp.alias("quarter_end"), *practice.columns)
        )
    return QuarterlyMetrics(
        council=pl.concat(councils, how="vertical_relaxed") if councils else pl.DataFrame(),
        practice=pl.concat(practices, how="vertical_relaxed") if practices else pl.DataFrame(),
    )


def council_spc(
    council: pl.DataFrame, metric: str, improvement: str | None = "auto"
) -> pl.DataFrame:
    """Making Data Count XmR chart of ``metric`` for each council (``careties.stats.spc``).

    ``improvement`` ``"up"``/``"down"``/``None``; ``"auto"`` takes it from
    :data:`COUNCIL_METRICS`. Returns the SPC rows of every council stacked, with ``la_code``
    and ``metric`` first. Fewer than 15 quarters give limits to read with care (REFERENCE.md).
    """
    from careties.stats import spc  # the statistics package owns SPC

    direction = COUNCIL_METRICS.get(metric) if improvement == "auto" else improvement
    charts = []
    for (la_code,), series in council.sort("quarter_end").group_by(
        ["la_code"], maintain_order=True
    ):
        series = series.filter(pl.col(metric).is_not_null() & pl.col(metric).is_not_nan())
        if series.height < 2:
            continue
        chart = spc(
            series[metric].cast(pl.Float64), dates=series["quarter_end"], improvement=direction
        )
        charts.append(
            chart.select(pl.lit(la_code).alias("la_code"), pl.lit(metric).alias("metric"), pl.all())
        )
    return pl.concat(charts, how="vertical_relaxed") if charts else pl.DataFrame()
