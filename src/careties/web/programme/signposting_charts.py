"""SPC charts of sign-posting per practice and per targeted GP per quarter, for the council.

The series come from :func:`careties.planning.signposting.signposting_series`,
the XmR limits and special-cause rules from :func:`careties.stats.spc.spc`
(Making Data Count; more sign-posting is the improvement), drawn by
:func:`careties.web.presenters.figures.spc_figure`. A series with fewer than two quarters
has no chart, and the page says why.
"""

from __future__ import annotations

import warnings

import polars as pl

from careties.planning.signposting import signposting_series
from careties.stats.spc import spc
from careties.web import selectors as store_selectors
from careties.web.presenters.figures import spc_figure

from . import selectors
from .models import Programme

SERIES = (
    ("per_practice", "Sign-posts per practice a quarter", "Sign-posts per practice"),
    ("per_targeted_gp", "Sign-posts per targeted GP a quarter", "Sign-posts per GP"),
)


def signposting_charts(la_code: str) -> list[dict]:
    """One entry per series: key, title, and either ``figure`` or ``missing`` (why not)."""
    programme = Programme.objects.filter(la_code=la_code).first()
    targeted = list(programme.targeted_practices) if programme else []
    series = signposting_series(
        selectors.signposts(la_code),
        store_selectors.load_frame("practices", la_code),
        store_selectors.load_frame("professionals", la_code),
        targeted,
    )
    out = []
    for column, title, y_title in SERIES:
        points = series.filter(pl.col(column).is_not_null())
        entry = {"key": column, "title": title}
        if points.height < 2:
            entry["missing"] = (
                "Set the programme's targeted practices to see this."
                if column == "per_targeted_gp" and not targeted
                else "Needs sign-posting in at least two quarters."
            )
        else:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                chart = spc(points[column], points["quarter"], improvement="up")
            if caught:  # fewer than 13 quarters: Making Data Count's trial limits
                entry["note"] = str(caught[0].message).capitalize() + "."
            entry["figure"] = spc_figure(chart, title=title, y_title=y_title, period="Quarter")
            entry["rows"] = points.select("quarter", column).to_dicts()
        out.append(entry)
    return out
