"""Mid-year population estimates per council: the ASCOF 2C (65+) and 2B (18-64) denominators.

Three layouts:

* careties' own: ``la_code, year, population_65_plus[, population_18_64]``;
* ONS's long "MYEB" layout (the detailed time series, e.g. ``MYEB1``): one row
  per council, sex and single year of age, ``population_YYYY`` per year (or
  ``population`` with ``year``), the code in ``ladcode21`` / ``ladcode18`` /
  ``code``; sex 1/2 (or M/F) is summed, a persons row (0 / All / Persons)
  is used alone when present;
* ONS's wide single-year table (MYE2 "Persons"): ``Code, Name, Geography,
  All ages, 0, 1, ..., 90`` (90 = 90 and over) for one year, the year taken
  from a ``year`` column or from the file name (``...mid-2023...``).

Rows whose code is not an upper-tier council in careties' lookup (districts,
regions, countries) are left out and counted in the import notes: ASCOF is by
council with social services responsibilities, and a county's figure is its
own row in ONS's tables.
"""

from __future__ import annotations

import re

import polars as pl

from careties.data import councils
from careties.data.context import ReadContext
from careties.data.contracts.common import finish, la_code
from careties.data.errors import ROW_COLUMN
from careties.data.layouts import Layout, Mapped
from careties.data.validate import check_duplicates, require, to_count, to_int

KIND = "population"


def _ons_table(name: str, columns: tuple[str, ...]) -> Layout:
    """An ONS table, known by the columns it needs; its year or age columns vary, so are kept."""
    return Layout(KIND, name, required=columns, signature=columns, keep_extra=True)


LAYOUTS = [
    Layout(
        KIND,
        "careties",
        required=("la_code", "year", "population_65_plus"),
        optional=("population_18_64",),
    ),
    _ons_table("ONS mid-year estimates, long (MYEB)", ("sex", "age")),
    _ons_table("ONS mid-year estimates, single year of age (MYE2)", ("code", "all_ages")),
]

_CODE_COLUMN = re.compile(r"^(lad|ctyua|utla|la)?_?code(\d{2})?$|^ladcode\d{2}$")
_YEAR_COLUMN = re.compile(r"^population_(\d{4})$")
_PERSONS = ("0", "all", "persons", "p", "3")


def convert(mapped: Mapped, ctx: ReadContext) -> pl.DataFrame:
    """Whole, non-negative counts for plausible years, from any of the three layouts."""
    if mapped.layout.name.startswith("ONS mid-year estimates, long"):
        frame = _from_myeb(mapped.frame, ctx)
    elif mapped.layout.name.startswith("ONS mid-year estimates, single"):
        frame = _from_mye2(mapped.frame, ctx)
    else:
        frame = mapped.frame
    if frame is None:
        return finish(pl.DataFrame(), KIND)
    frame = la_code(frame, ctx)
    require(frame, ctx, ["year", "population_65_plus"])
    frame = to_int(
        frame,
        ctx,
        "year",
        minimum=1990,
        maximum=ctx.today.year,
        below_reason="year before 1990",
        above_reason="year is in the future",
    )
    frame = to_count(frame, ctx, "population_65_plus")
    if "population_18_64" in frame.columns:
        frame = to_count(frame, ctx, "population_18_64")
    check_duplicates(frame, ctx, ("la_code", "year"))
    return finish(frame, KIND)


def _code_column(frame: pl.DataFrame, ctx: ReadContext) -> str | None:
    found = [c for c in frame.columns if _CODE_COLUMN.match(c)]
    if not found:
        ctx.log.file_error("no council code column (ladcode21, ladcode18 or code)")
        return None
    return found[0]


def _councils_only(frame: pl.DataFrame, code: str, ctx: ReadContext) -> pl.DataFrame:
    """Keep upper-tier councils (the lookup's ONS codes); count what is left out."""
    known = {row["ons_code"] for row in councils.councils()}
    codes = frame.get_column(code).str.strip_chars().str.to_uppercase()
    keep = codes.is_in(sorted(known))
    others = codes.filter(~keep).n_unique()
    if others:
        plural = others != 1
        ctx.notes.append(
            f"{others:,} area{'s' if plural else ''} that {'are' if plural else 'is'} not a "
            "council with social services responsibilities (districts, regions, countries) left out"
        )
    return frame.with_columns(codes.alias(code)).filter(keep)


def _ages(age: pl.Expr) -> pl.Expr:
    """``"90+"`` / ``"90"`` -> 90; single years as integers."""
    return age.str.replace_all(r"[^0-9]", "").cast(pl.Int64, strict=False)


def _bands(frame: pl.DataFrame, by: list[str], value: str) -> pl.DataFrame:
    age = pl.col("__age")
    return frame.group_by(by).agg(
        pl.col(ROW_COLUMN).min(),
        pl.col(value).filter(age >= 65).sum().alias("population_65_plus"),
        pl.col(value).filter((age >= 18) & (age <= 64)).sum().alias("population_18_64"),
    )


def _from_myeb(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame | None:
    """Long by sex and age, wide (``population_YYYY``) or long (``population``, ``year``) by year."""
    code = _code_column(frame, ctx)
    if code is None:
        return None
    frame = _councils_only(frame, code, ctx)
    sex = frame.get_column("sex").str.strip_chars().str.to_lowercase()
    if sex.is_in(_PERSONS).any():
        frame = frame.filter(sex.is_in(_PERSONS))
    frame = frame.with_columns(_ages(pl.col("age")).alias("__age"))
    years = {c: m.group(1) for c in frame.columns if (m := _YEAR_COLUMN.match(c))}
    if years:
        long = frame.unpivot(
            index=[ROW_COLUMN, code, "__age"],
            on=list(years),
            variable_name="year",
            value_name="__count",
        ).with_columns(pl.col("year").replace_strict(years))
    elif {"population", "year"} <= set(frame.columns):
        long = frame.select(
            ROW_COLUMN, code, "__age", "year", pl.col("population").alias("__count")
        )
    else:
        ctx.log.file_error("no population columns (population_2023, ... or population and year)")
        return None
    long = long.with_columns(
        pl.col("__count").str.replace_all(",", "").cast(pl.Int64, strict=False)
    )
    out = _bands(long, [code, "year"], "__count").rename({code: "la_code"})
    return out.with_columns(pl.col(c).cast(pl.String) for c in out.columns if c != ROW_COLUMN)


def _from_mye2(frame: pl.DataFrame, ctx: ReadContext) -> pl.DataFrame | None:
    """One year; one column per single year of age."""
    if "year" in frame.columns:
        year = pl.col("year")
    else:
        found = re.search(r"(?:mid[-_ ]?)?((?:19|20)\d\d)", ctx.log.file)
        if not found:
            ctx.log.file_error(
                "which year? add a 'year' column or keep the year in the file name (mid-2023)"
            )
            return None
        year = pl.lit(found.group(1))
    frame = _councils_only(frame, "code", ctx).with_columns(year.alias("year"))
    ages = [c for c in frame.columns if re.fullmatch(r"\d{1,3}\+?", c)]
    long = frame.unpivot(
        index=[ROW_COLUMN, "code", "year"], on=ages, variable_name="__a", value_name="__count"
    ).with_columns(
        _ages(pl.col("__a")).alias("__age"),
        pl.col("__count").str.replace_all(",", "").cast(pl.Int64, strict=False),
    )
    out = _bands(long, ["code", "year"], "__count").rename({"code": "la_code"})
    return out.with_columns(pl.col(c).cast(pl.String) for c in out.columns if c != ROW_COLUMN)
