"""The one way a contract converts a column and reports a cell (careties.data.validate)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from careties.data.context import KnownCodes, ReadContext
from careties.data.contracts.common import la_code, practice_code
from careties.data.contracts.monthly import to_month
from careties.data.errors import ROW_COLUMN, ErrorLog
from careties.data.validate import (
    convert,
    converted,
    flag,
    future_check,
    range_checks,
    to_count,
    to_date,
    to_number,
)

TODAY = dt.date(2026, 1, 15)


def cells(**columns: list[str | None]) -> pl.DataFrame:
    """A frame of text cells as the reader gives it, rows numbered from 2 (after the header)."""
    height = len(next(iter(columns.values())))
    return pl.DataFrame({ROW_COLUMN: list(range(2, 2 + height)), **columns})


def context(**kwargs) -> ReadContext:
    return ReadContext(log=ErrorLog(file="test.csv"), today=TODAY, **kwargs)


def reported(ctx: ReadContext) -> list[tuple[int | None, str | None, str | None, str]]:
    return [(e.row, e.column, e.value, e.reason) for e in ctx.log.errors]


def test_flag_names_the_column_as_the_file_spells_it():
    ctx = context(labels={"la_code": "LA Code"})
    flag(cells(la_code=["E09000001", "X"]), ctx, "la_code", pl.col("la_code") == "X", "bad code")
    assert reported(ctx) == [(3, "LA Code", "X", "bad code")]


def test_convert_reports_failures_and_checks_but_not_blanks():
    ctx = context()
    frame = cells(score=["3", "seven", None, "12"])
    value = pl.col("score").cast(pl.Int64, strict=False)
    out = convert(frame, ctx, "score", value, "not a score", [(converted() > 10, "too high")])
    assert out["score"].to_list() == [3, None, None, 12]
    assert "__converted" not in out.columns
    assert reported(ctx) == [(3, "score", "seven", "not a score"), (5, "score", "12", "too high")]


def test_range_checks_are_open_where_a_bound_is_none():
    assert range_checks(None, None) == []
    (below,) = range_checks(0.5, None)
    assert below[1] == "must be at least 0.5"
    ctx = context()
    out = to_number(cells(x=["0.4", "1e3", "inf", "2"]), ctx, "x", minimum=0.5, maximum=100)
    assert out["x"].to_list() == [0.4, 1000.0, None, 2.0]
    assert reported(ctx) == [
        (4, "x", "inf", "not a number"),
        (2, "x", "0.4", "must be at least 0.5"),
        (3, "x", "1e3", "must be at most 100"),
    ]


def test_counts_are_whole_and_never_negative():
    ctx = context()
    out = to_count(cells(n=["5", "-1", "2.5", "4.0"]), ctx, "n")
    assert out["n"].to_list() == [5, -1, None, 4]
    assert [(row, why) for row, _, _, why in reported(ctx)] == [
        (4, "not a whole number"),
        (3, "negative count"),
    ]


def test_dates_and_months_in_the_future_are_refused():
    ctx = context()
    to_date(cells(d=["2026-01-15", "2026-01-16"]), ctx, "d")
    assert [why for *_, why in reported(ctx)] == ["date is in the future (today is 2026-01-15)"]
    ctx = context()
    months = to_month(cells(month=["2026-01", "2026-02", "Jan"]), ctx)
    assert months["month"].to_list()[0] == dt.date(2026, 1, 1)
    assert [(row, why.split(":")[0]) for row, _, _, why in reported(ctx)] == [
        (4, "not a month"),
        (3, "month is in the future (today is 2026-01-15)"),
    ]
    condition, reason = future_check(ctx, "visit", latest=dt.date(2025, 12, 31))
    assert reason == "visit is in the future (today is 2026-01-15)"
    assert isinstance(condition, pl.Expr)


def test_national_codes_upper_cased_one_error_for_a_malformed_code_and_known_checked():
    ctx = context(known=KnownCodes(la_codes={"E09000001"}, practice_codes={"A81001"}))
    frame = cells(la_code=["e09 000001", "E09000002", "E9", None])
    out = la_code(frame, ctx)
    assert out["la_code"].to_list() == ["E09000001", "E09000002", "E9", None]
    assert [(row, why.split(" (")[0].split(":")[0]) for row, _, _, why in reported(ctx)] == [
        (5, "required value is blank"),
        (4, "not a valid ONS local authority code"),
        (3, "unknown council"),
    ]
    ctx = context(known=KnownCodes(practice_codes={"A81001"}))
    practice_code(cells(gp=["A81002", None]), ctx, "gp", required=False, referential=False)
    assert reported(ctx) == []
    practice_code(cells(gp=["A81002"]), ctx, "gp", required=False)
    assert [why for *_, why in reported(ctx)] == ["unknown practice: load it in practices first"]
