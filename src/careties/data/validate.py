"""Column checks and conversions, vectorised, reporting every failing cell.

Each function takes the frame of text cells, converts or checks one column
with Polars expressions, and logs an error per failing row through
``ErrorLog.add_rows`` (which loops over the failures only). Checks skip blank
cells: whether a blank is allowed is ``require``'s job, so one empty cell
yields one error, not three.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

import polars as pl

from careties.data.context import ReadContext
from careties.data.errors import ROW_COLUMN
from careties.data.spellings import token_expr

#: Date spellings accepted everywhere: ISO first (unambiguous), then the UK
#: day-first forms Excel writes, then NHS Digital's. Never month-first.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%Y%m%d",
    "%d-%b-%y",
    "%d%b%Y",
    "%d-%b-%Y",
    "%d %b %Y",
    "%Y/%m/%d",
)

_DATETIME_SUFFIX = r"[ T]00:00(:00(\.0+)?)?$"


def clean_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Trim every cell and treat an empty one as missing."""
    cells = [c for c in frame.columns if c != ROW_COLUMN]
    return frame.with_columns([pl.col(c).str.strip_chars().replace("", None) for c in cells])


def flag(
    frame: pl.DataFrame, ctx: ReadContext, column: str, failing: pl.Expr, reason: str | pl.Expr
) -> None:
    """Log ``reason`` against ``column`` on every row where ``failing`` holds.

    The one way a contract reports a cell: the error names the column as the
    user's file spells it, so every check reads the same to the analyst.
    """
    ctx.log.add_rows(frame, failing, column, reason, shown_as=ctx.label(column))


_CONVERTED_NAME = "__converted"


def converted() -> pl.Expr:
    """The converted value while ``convert`` checks it: what its ``checks`` are written on."""
    return pl.col(_CONVERTED_NAME)


def convert(
    frame: pl.DataFrame,
    ctx: ReadContext,
    column: str,
    value: pl.Expr | pl.Series,
    failure: str,
    checks: Iterable[tuple[pl.Expr, str]] = (),
) -> pl.DataFrame:
    """Replace ``column`` by ``value``, reporting the cells it could not convert.

    A cell present in the file that ``value`` turns into null is reported with
    ``failure``; then each ``(condition, reason)`` of ``checks``, written on
    ``converted()``, reports the converted values it finds wrong (out of range,
    in the future). Blank cells are left to ``require``.
    """
    frame = frame.with_columns(value.alias(_CONVERTED_NAME))
    flag(frame, ctx, column, pl.col(column).is_not_null() & converted().is_null(), failure)
    for condition, reason in checks:
        flag(frame, ctx, column, condition, reason)
    return frame.with_columns(converted().alias(column)).drop(_CONVERTED_NAME)


def check_formulas(frame: pl.DataFrame, ctx: ReadContext) -> None:
    """A cell beginning with ``=`` is a spreadsheet formula: refuse it.

    A formula's cached value can be stale, and a formula (``=HYPERLINK(...)``)
    in a data file is a known route for spreadsheet injection. ``+``, ``-`` and
    ``@`` are not refused: ``-3`` is a number and ``+44 ...`` a phone number.
    """
    for column in frame.columns:
        if column == ROW_COLUMN:
            continue
        flag(
            frame,
            ctx,
            column,
            pl.col(column).str.starts_with("="),
            "spreadsheet formula not accepted: enter the value itself",
        )


def require(
    frame: pl.DataFrame, ctx: ReadContext, columns: Iterable[str], reason: str | None = None
) -> None:
    """Every listed column must have a value on every row."""
    for column in columns:
        flag(frame, ctx, column, pl.col(column).is_null(), reason or "required value is blank")


def upper_code(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Codes are upper case and contain no spaces (``e09 000001`` -> ``E09000001``)."""
    return frame.with_columns(pl.col(column).str.to_uppercase().str.replace_all(r"\s+", ""))


def check_pattern(
    frame: pl.DataFrame, ctx: ReadContext, column: str, pattern: re.Pattern[str], reason: str
) -> None:
    """Values present must match ``pattern`` (e.g. the ONS or ODS code format)."""
    present = pl.col(column).is_not_null()
    flag(frame, ctx, column, present & ~pl.col(column).str.contains(pattern.pattern), reason)


def map_codes(
    frame: pl.DataFrame,
    ctx: ReadContext,
    column: str,
    spellings: Mapping[str, str],
    what: str,
    allowed: Iterable[str] | None = None,
) -> pl.DataFrame:
    """Replace human spellings by their code; report values with no code."""
    codes = sorted(set(spellings.values())) if allowed is None else list(allowed)
    # Coded columns have few distinct values: map those, then look each row up.
    distinct = frame.get_column(column).drop_nulls().unique()
    codes_of_distinct = (
        distinct.to_frame()
        .select(
            token_expr(pl.col(column)).replace_strict(
                dict(spellings), default=None, return_dtype=pl.String
            )
        )
        .to_series()
    )
    mapped = pl.col(column).replace_strict(
        distinct, codes_of_distinct, default=None, return_dtype=pl.String
    )
    return convert(frame, ctx, column, mapped, f"unknown {what}: use one of {', '.join(codes)}")


def to_int(
    frame: pl.DataFrame,
    ctx: ReadContext,
    column: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    below_reason: str | None = None,
    above_reason: str | None = None,
) -> pl.DataFrame:
    """Convert to a whole number, reporting text, fractions and out-of-range values.

    ``12.0`` (how spreadsheets sometimes store whole numbers) is accepted;
    ``12.5`` is not.
    """
    decimal = _decimal(column)
    whole = pl.when((decimal == decimal.floor()) & (decimal.abs() < 2**62)).then(
        decimal.cast(pl.Int64)
    )
    value = _unsigned(column).cast(pl.Int64, strict=False).fill_null(whole)
    checks = range_checks(
        minimum,
        maximum,
        below_reason or f"must be at least {minimum}",
        above_reason or f"must be at most {maximum}",
    )
    return convert(frame, ctx, column, value, "not a whole number", checks)


def to_number(
    frame: pl.DataFrame,
    ctx: ReadContext,
    column: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> pl.DataFrame:
    """A finite decimal number (an average delay in days, a deprivation score),
    optionally within ``[minimum, maximum]``, with the same errors as a whole count."""
    return convert(
        frame, ctx, column, _decimal(column), "not a number", range_checks(minimum, maximum)
    )


def _unsigned(column: str) -> pl.Expr:
    """The cell's text without a leading ``+`` (``+3`` is 3)."""
    return pl.col(column).str.replace_all(r"^\+", "")


def _decimal(column: str) -> pl.Expr:
    """The cell as a finite decimal, else null: what both ``to_number`` and ``to_int`` read."""
    value = _unsigned(column).cast(pl.Float64, strict=False)
    return pl.when(value.is_finite()).then(value)


def to_count(frame: pl.DataFrame, ctx: ReadContext, column: str) -> pl.DataFrame:
    """A count of people or events: a whole number, never negative."""
    return to_int(frame, ctx, column, minimum=0, below_reason="negative count")


def range_checks(
    minimum: float | None,
    maximum: float | None,
    below_reason: str | None = None,
    above_reason: str | None = None,
) -> list[tuple[pl.Expr, str]]:
    """``convert``'s checks that the converted value lies in ``[minimum, maximum]`` (None: open)."""
    checks = []
    if minimum is not None:
        checks.append((converted() < minimum, below_reason or f"must be at least {minimum:g}"))
    if maximum is not None:
        checks.append((converted() > maximum, above_reason or f"must be at most {maximum:g}"))
    return checks


def parse_dates(text: pl.Series, formats: tuple[str, ...] = DATE_FORMATS) -> pl.Series:
    """Each value parsed with the first of ``formats`` that fits; null if none does.

    Formats are tried one at a time on the values still unparsed, so a
    column written in one format (the usual case) costs one pass, not eight.
    """
    result = text.str.strptime(pl.Date, formats[0], strict=False)
    pending = (result.is_null() & text.is_not_null()).arg_true()
    if len(pending) == 0:
        return result
    rest = text.gather(pending).str.replace(_DATETIME_SUFFIX, "")
    parsed = pl.Series(dtype=pl.Date).extend_constant(None, len(pending))
    for fmt in formats:
        parsed = parsed.fill_null(rest.str.strptime(pl.Date, fmt, strict=False))
        if parsed.null_count() == rest.null_count():
            break
    return result.scatter(pending, parsed)


def to_date(
    frame: pl.DataFrame,
    ctx: ReadContext,
    column: str,
    *,
    formats: tuple[str, ...] = DATE_FORMATS,
    not_future: bool = True,
) -> pl.DataFrame:
    """Convert to a date, reporting unparseable and (by default) future dates."""
    checks = [future_check(ctx, "date")] if not_future else []
    return convert(
        frame,
        ctx,
        column,
        parse_dates(frame.get_column(column), formats),
        "not a date: write it as YYYY-MM-DD (or DD/MM/YYYY)",
        checks,
    )


def future_check(ctx: ReadContext, what: str, latest: dt.date | None = None) -> tuple[pl.Expr, str]:
    """``convert``'s check that the converted date is not after ``latest`` (default: today).

    A file cannot report what has not happened yet; a future date is a typing
    slip (2052 for 2025) that would otherwise count in a period to come.
    """
    latest = latest or ctx.today
    return converted() > pl.lit(
        latest
    ), f"{what} is in the future (today is {ctx.today.isoformat()})"


def check_known(
    frame: pl.DataFrame, ctx: ReadContext, column: str, known: set[str] | None, reason: str
) -> None:
    """Values present must be among ``known`` (skipped when ``known`` is None)."""
    if known is None:
        return
    present = pl.col(column).is_not_null()
    flag(frame, ctx, column, present & ~pl.col(column).is_in(sorted(known)), reason)


def check_duplicates(frame: pl.DataFrame, ctx: ReadContext, keys: tuple[str, ...]) -> None:
    """Report every row whose natural key repeats an earlier row, naming that row.

    Two rows with the same key would silently overwrite each other in the
    store; the analyst must decide which one is right.
    """
    complete = pl.all_horizontal([pl.col(k).is_not_null() for k in keys])
    first = pl.col(ROW_COLUMN).min().over(keys)
    frame = frame.with_columns(first.alias("__first"))
    names = ", ".join(ctx.label(k) for k in keys)
    flag(
        frame,
        ctx,
        keys[-1],
        complete & (pl.col(ROW_COLUMN) != pl.col("__first")),
        pl.format(f"duplicate of row {{}} (same {names})", pl.col("__first")),
    )
