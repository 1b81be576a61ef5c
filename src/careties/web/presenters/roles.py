"""Sections on working across roles, and on change over time.

* ``rc_roles``: the role-by-role relational coordination map (rater roles in rows, rated
  roles in columns) for one wave of the ``roles`` survey, with the respondent floor per
  cell: a cell rated by too few people is blank in the heat map and the table.
* ``rc_role_pair``: one pair of roles, both directions, over the waves (the drill-down).
* ``rc_roles_change``: the map at two waves side by side (two heat maps on one colour
  scale, the floor applied per cell in each) and the change table.
* ``network_change``: the network at two dates, ties gained, lost and kept.

The choices (wave, pair, dates) are plain GET parameters, offered as a small form above
each section (``extras["choices"]``).
"""

from __future__ import annotations

from functools import partial

import polars as pl

from careties.labels import label_expr
from careties.relations.network import change_summary, network_change_figure
from careties.relations.surveys import RATED_ROLES, RESPONDENT_ROLES, ROLE_LABELS
from careties.web import charts
from careties.web.dashboard.builders import roles
from careties.web.disclosure import Disclosure, flag
from careties.web.presenters.base import Column, Context, Draft, NotAvailable, section
from careties.web.presenters.figures import lines_by

DIMENSION_COLUMNS = (
    ("rc_frequent", "Frequent"),
    ("rc_timely", "Timely"),
    ("rc_accurate", "Accurate"),
    ("rc_problem_solving", "Problem-solving"),
    ("rc_shared_goals", "Shared goals"),
    ("rc_shared_knowledge", "Shared knowledge"),
    ("rc_mutual_respect", "Mutual respect"),
)

#: One colour scale for every RC heat map, so two waves' maps read against each other.
RC_COLOURS = [[0, "#d5281b"], [0.5, "#ffeb3b"], [1, "#007f3b"]]
RC_RANGE = (1, 5)


#: Respondents, the RC index and its seven dimensions, as every role table shows them,
#: each under the respondent floor.
RC_COLUMNS = (
    Column("n", "Respondents", "count"),
    Column("rc_index", "RC index", "number", 2),
    *[Column(key, label, "number", 2) for key, label in DIMENSION_COLUMNS],
)
RC_DISCLOSURE = Disclosure(
    level="council",
    respondents="n",
    survey_values=("rc_index", *[key for key, _ in DIMENSION_COLUMNS]),
)


def _rc_heatmap(z: list[list], text: list[list[str]], **extra: str) -> dict:
    """A heat map of every rating role (rows) by every rated role, on the one RC colour scale."""
    return {
        "type": "heatmap",
        **extra,
        "z": z,
        "x": [_label(d) for d in RATED_ROLES],
        "y": [_label(r) for r in RESPONDENT_ROLES],
        "text": text,
        "texttemplate": "%{text}",
        "zmin": RC_RANGE[0],
        "zmax": RC_RANGE[1],
        "colorscale": RC_COLOURS,
        "colorbar": {"title": {"text": "RC (1-5)"}},
        "hovertemplate": "%{y} about %{x}: %{text}<extra></extra>",
        "hoverongaps": False,
    }


def _choice(name: str, label: str, options: list[tuple[str, str]], selected: str) -> dict:
    return {"name": name, "label": label, "options": options, "selected": selected}


def _label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


@section("rc_roles", "Relational coordination between every role", "relationships")
def rc_roles(ctx: Context) -> Draft:
    waves = roles.waves(ctx)
    wave = roles.chosen_wave(ctx, "wave", waves[-1])
    frame = roles.role_map(ctx, wave).with_columns(
        rater=pl.col("rater_role").map_elements(_label, return_dtype=pl.String),
        rated=pl.col("rated_role").map_elements(_label, return_dtype=pl.String),
        agency=pl.when(pl.col("within_agency")).then(pl.lit("within")).otherwise(pl.lit("across")),
        rc_index=pl.col("rc_index").round(2),
    )

    def chart(shown: pl.DataFrame) -> dict:
        value = {
            (r, d): v
            for r, d, v in shown.select("rater_role", "rated_role", "rc_index").iter_rows()
        }
        count = {(r, d): n for r, d, n in shown.select("rater_role", "rated_role", "n").iter_rows()}
        z = [[value.get((r, d)) for d in RATED_ROLES] for r in RESPONDENT_ROLES]
        text = [
            [
                "" if value.get((r, d)) is None else f"{value[(r, d)]:.1f} (n={count.get((r, d))})"
                for d in RATED_ROLES
            ]
            for r in RESPONDENT_ROLES
        ]
        trace = _rc_heatmap(z, text)
        layout = charts.layout(
            f"Relational coordination between roles, wave {wave}",
            x_title="Rated role",
            y_title="Rating role",
            xaxis={"title": {"text": "Rated role"}, "automargin": True, "side": "top"},
            yaxis={"title": {"text": "Rating role"}, "automargin": True, "autorange": "reversed"},
            height=560,
        )
        return charts.figure([trace], layout)

    draft = Draft(
        frame=frame,
        columns=[
            Column("rater", "Rating role"),
            Column("rated", "Rated role"),
            Column("agency", "Agency", labels="agency_relation"),
            *RC_COLUMNS,
        ],
        disclosure=RC_DISCLOSURE,
        chart=chart,
        note=f"Wave {wave}. Each person rated every role they work with, their own included, on "
        "Gittell's seven dimensions (1 to 5; weak below 3.5, strong above 4.0). A blank cell "
        "was rated by too few people to show. Rows rate columns: read across for how a role "
        "sees the others, down for how the others see it.",
    )
    draft.extras["choices"] = [_choice("wave", "Wave", [(w, w) for w in waves], wave)]
    return draft


@section("rc_role_pair", "One pair of roles over the waves", "relationships")
def rc_role_pair(ctx: Context) -> Draft:
    trend, rater, rated = roles.role_pair(ctx)
    frame = trend.with_columns(
        direction=pl.col("rater_role").map_elements(_label, return_dtype=pl.String)
        + pl.lit(" about ")
        + pl.col("rated_role").map_elements(_label, return_dtype=pl.String).str.to_lowercase(),
        rc_index=pl.col("rc_index").round(2),
    )
    if frame.is_empty():
        raise NotAvailable(
            f"Nobody has rated {_label(rated).lower()} as a {_label(rater).lower()} yet."
        )

    draft = Draft(
        frame=frame,
        columns=[
            Column("wave", "Wave"),
            Column("direction", "Who about whom"),
            *RC_COLUMNS,
        ],
        disclosure=RC_DISCLOSURE,
        chart=partial(
            lines_by,
            x="wave",
            group="direction",
            value="rc_index",
            title="Relational coordination over the waves",
            x_title="Wave",
            y_title="RC index (1 to 5)",
        ),
        note="Both directions of one pair of roles in every wave; choose the pair above.",
    )
    draft.extras["choices"] = [
        _choice("rater", "Rating role", [(r, _label(r)) for r in RESPONDENT_ROLES], rater),
        _choice("rated", "Rated role", [(r, _label(r)) for r in RATED_ROLES], rated),
    ]
    return draft


def _wave_map(shown: pl.DataFrame, side: str, wave: str, floor: int) -> dict:
    """One wave's role-by-role heat map from the change table's ``side`` columns.

    A cell under the respondent floor has no value (``z`` is null) and is marked with a
    grey cross and the word "suppressed", so a hidden cell never reads as a low one.
    """
    cells = {
        (r, d): (v, n, bool(h))
        for r, d, v, n, h in shown.select(
            "rater_role", "rated_role", f"rc_{side}", f"n_{side}", f"suppressed_{side}"
        ).iter_rows()
    }
    value = {key: v for key, (v, _, _) in cells.items() if v is not None}
    z = [[value.get((r, d)) for d in RATED_ROLES] for r in RESPONDENT_ROLES]
    text = [
        [
            f"{value[(r, d)]:.1f} (n={cells[(r, d)][1]})" if (r, d) in value else ""
            for d in RATED_ROLES
        ]
        for r in RESPONDENT_ROLES
    ]
    hidden = [(r, d) for (r, d), (_, _, h) in cells.items() if h]
    heat = _rc_heatmap(z, text, name=f"Wave {wave}")
    crosses = {
        "type": "scatter",
        "mode": "markers",
        "name": f"Suppressed: fewer than {floor} respondents",
        "x": [_label(d) for _, d in hidden],
        "y": [_label(r) for r, _ in hidden],
        "marker": {"symbol": "x-thin", "size": 10, "line": {"width": 2, "color": "#768692"}},
        "hovertemplate": "%{y} about %{x}: suppressed<extra></extra>",
    }
    layout = charts.layout(
        f"Relational coordination between roles, wave {wave}",
        xaxis={"title": {"text": "Rated role"}, "automargin": True, "side": "top"},
        yaxis={"title": {"text": "Rating role"}, "automargin": True, "autorange": "reversed"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0},
        height=560,
    )
    return charts.figure([heat, crosses], layout)


@section("rc_roles_change", "Relational coordination between roles: two waves", "relationships")
def rc_roles_change(ctx: Context) -> Draft:
    change, before, after, floor = roles.role_change(ctx)
    hidden_before, hidden_after = pl.col("suppressed_before"), pl.col("suppressed_after")
    frame = change.with_columns(
        pl.col("rc_before", "rc_after", "change").round(2),
        rater=pl.col("rater_role").map_elements(_label, return_dtype=pl.String),
        rated=pl.col("rated_role").map_elements(_label, return_dtype=pl.String),
        # The table prints "*" for a cell under the floor (disclosure flag columns).
        **{
            flag(f"{kind}_{side}"): hidden
            for side, hidden in (("before", hidden_before), ("after", hidden_after))
            for kind in ("n", "rc")
        },
        **{flag("change"): hidden_before | hidden_after},
    ).sort("change", nulls_last=True)

    def chart(shown: pl.DataFrame) -> dict:
        # Two complete maps on one scale; the page lays them side by side on a wide
        # screen and one above the other on a phone (``panels``).
        panels = [
            _wave_map(shown, "before", before, floor),
            _wave_map(shown, "after", after, floor),
        ]
        return {"data": [], "layout": {"meta": {"title": "Two waves"}}, "panels": panels}

    draft = Draft(
        frame=frame,
        columns=[
            Column("rater", "Rating role"),
            Column("rated", "Rated role"),
            Column("n_before", f"Respondents {before}", "count"),
            Column("rc_before", f"RC {before}", "number", 2),
            Column("n_after", f"Respondents {after}", "count"),
            Column("rc_after", f"RC {after}", "number", 2),
            Column("change", "Change", "number", 2),
        ],
        disclosure=Disclosure(level="council"),
        chart=chart,
        note=f"Wave {before} beside wave {after}, on the same colour scale (1 to 5). A cell "
        f"rated by fewer than {floor} people in a wave is suppressed (a grey cross on the "
        "map, * in the table) and shows no change. The table lists the largest falls first.",
    )
    options = [(w, w) for w in roles.waves(ctx)]
    draft.extras["choices"] = [
        _choice("before", "From wave", options, before),
        _choice("after", "To wave", options, after),
    ]
    return draft


@section("network_change", "The network at two dates: ties gained and lost", "relationships")
def network_change(ctx: Context) -> Draft:
    change, summary, before, after = roles.network_change(ctx)
    frame = change.with_columns(
        pl.col("strength_before", "strength_after", "change").round(2),
        tie=label_expr("status", "tie_change"),  # words for the table; the chart counts codes
    )

    drawing = network_change_figure(
        frame, title=f"Ties between organisations, {before} and {after}"
    )

    def chart(shown: pl.DataFrame) -> dict:
        if not ctx.policy.anonymise_practices:
            return drawing  # the drawing names organisations, as the network view does
        counts = change_summary(shown)
        return charts.bar_chart(
            ["Gained", "Lost", "Kept"],
            {"Ties": [counts["gained"], counts["lost"], counts["kept"]]},
            title=f"Ties between organisations, {before} and {after}",
            value_title="Ties",
        )

    draft = Draft(
        frame=frame,
        columns=[
            Column("tie", "Tie"),
            Column("source", "Organisation"),
            Column("target", "With"),
            Column("strength_before", f"Strength at {before}", "number", 2),
            Column("strength_after", f"Strength at {after}", "number", 2),
            Column("change", "Change", "number", 2),
        ],
        disclosure=Disclosure(level="council", practice_columns=("source", "target")),
        chart=chart,
        note=f"Each date's network covers the year before it. {summary['gained']} ties gained, "
        f"{summary['lost']} lost, {summary['kept']} kept. Lost ties are listed first.",
    )
    draft.extras["choices"] = [
        {"name": "before", "label": "First date", "type": "date", "selected": before.isoformat()},
        {"name": "after", "label": "Second date", "type": "date", "selected": after.isoformat()},
    ]
    return draft
