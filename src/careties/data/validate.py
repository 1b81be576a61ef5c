"""Column checks and conversions, vectorised, reporting every failing cell.

Each function takes the frame of text cells, converts or checks one column
with Polars expressions, and logs an error per failing row through
``ErrorLog.add_rows`` (which loops over the failures only). Checks skip blank
cells: whether a blank is allowed is ``require``'s job, so one empty cell
yields one error, not three.
"""

from __future__ import annotations

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


def check_formulas(frame: pl.DataFrame, ctx: ReadContext) -> None:
    """A cell beginning with ``=`` is a spreadsheet formula: refuse it.

    A formula's cached value can be stale, and a formula (``=HYPERLINK(...)``)
    in a data file is a known route for spreadsheet injection. ``+``, ``-`` and
    ``@`` are not refused: ``-3`` is a number and ``+44 ...`` a phone number.
    """
    for column in frame.columns:
        if column == ROW_COLUMN:
            continue
        ctx.log.add_rows(
            frame,
            pl.col(column).str.starts_with("="),
            column,
            "spreadsheet formula not accepted: enter the value itself",
            shown_as=ctx.label(column),
        )


def require(
    frame: pl.DataFrame, ctx: ReadContext, columns: Iterable[str], reason: str | None = None
) -> None:
    """Every listed column must have a value on every row."""
    for column in columns:
        ctx.log.add_rows(
            frame,
            pl.col(column).is_null(),
            column,
            reason or "required value is blank",
            shown_as=ctx.label(column),
        )


def upper_code(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Codes are upper case and contain no spaces (``e09 000001`` -> ``E09000001``)."""
    return frame.with_columns(pl.col(column).str.to_uppercase().str.replace_all(r"\s+", ""))


def check_pattern(
    frame: pl.DataFrame, ctx: ReadContext, column: str, pattern: re.Pattern[str], reason: str
) -> None:
    """Values present must match ``pattern`` (e.g. the ONS or ODS code format)."""
    ctx.log.add_rows(
        frame,
        pl.col(column).is_not_null() & ~pl.col(column).str.contains(pattern.pattern),
        column,
        reason,
        shown_as=ctx.label(column),
    )


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
    frame = frame.with_columns(mapped.alias("__mapped"))
    ctx.log.add_rows(
        frame,
        pl.col(column).is_not_null() & pl.col("__mapped").is_null(),
        column,
        f"unknown {what}: use one of {', '.join(codes)}",
        shown_as=ctx.label(column),
    )
    return frame.with_columns(pl.col("__mapped").alias(column)).drop("__mapped")


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
    text = pl.col(column).str.replace_all(r"^\+", "")
    as_float = text.cast(pl.Float64, strict=False)
    whole = pl.when(
        as_float.is_finite() & (as_float == as_float.floor()) & (as_float.abs() < 2**62)
    ).then(as_float.cast(pl.Int64))
    value = text.cast(pl.Int64, strict=False).fill_null(whole)
    frame = frame.with_columns(value.alias("__int"))
    ctx.log.add_rows(
        frame,
        pl.col(column).is_not_null() & pl.col("__int").is_null(),
        column,
        "not a whole number",
        shown_as=ctx.label(column),
    )
    if minimum is not None:
        ctx.log.add_rows(
            frame,
            pl.col("__int") < minimum,
            column,
            below_reason or f"must be at least {minimum}",
            shown_as=ctx.label(column),
        )
    if maximum is not None:
        ctx.log.add_rows(
            frame,
            pl.col("__int") > maximum,
            column,
            above_reason or f"must be at most {maximum}",
            shown_as=ctx.label(column),
        )
    return frame.with_columns(pl.col("__int").alias(column)).drop("__int")


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
    frame = frame.with_columns(parse_dates(frame.get_column(column), formats).alias("__date"))
    ctx.log.add_rows(
        frame,
        pl.col(column).is_not_null() & pl.col("__date").is_null(),
        column,
        "not a date: write it as YYYY-MM-DD (or DD/MM/YYYY)",
        shown_as=ctx.label(column),
    )
    if not_future:
        ctx.log.add_rows(
            frame,
            pl.col("__date") > pl.lit(ctx.today),
            column,
            f"date is in the future (today is {ctx.today.isoformat()})",
            shown_as=ctx.label(column),
        )
    return frame.with_columns(pl.col("__date").alias(column)).drop("__date")


def check_known(
    frame: pl.DataFrame, ctx: ReadContext, column: str, known: set[str] | None, reason: str
) -> None:
    """Values present must be among ``known`` (skipped when ``known`` is None)."""
    if known is None:
        return
    ctx.log.add_rows(
        frame,
        pl.col(column).is_not_null() & ~pl.col(column).is_in(sorted(known)),
        column,
        reason,
        shown_as=ctx.label(column),
    )


def check_duplicates(frame: pl.DataFrame, ctx: ReadContext, keys: tuple[str, ...]) -> None:
    """Report every row whose natural key repeats an earlier row, naming that row.

    Two rows with the same key would silently overwrite each other in the
    store; the analyst must decide which one is right.
    """
    complete = pl.all_horizontal([pl.col(k).is_not_null() for k in keys])
    first = pl.col(ROW_COLUMN).min().over(keys)
    frame = frame.with_columns(first.alias("__first"))
    names = ", ".join(ctx.label(k) for k in keys)
    ctx.log.add_rows(
        frame,
        complete & (pl.col(ROW_COLUMN) != pl.col("__first")),
        keys[-1],
        pl.format(f"duplicate of row {{}} (same {names})", pl.col("__first")),
        shown_as=ctx.label(keys[-1]),
    )
