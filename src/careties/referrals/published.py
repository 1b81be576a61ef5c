"""The council beside England, its region and its peers: published ASCOF and peer groups.

Two published files, read as published:

* **ASCOF by council**: the long layout DHSC's ``ASCOF_measures`` SQL writes
  and NHS England publishes from it, one row per council (or region, or
  England) and measure: ``Reporting_Period, LA_Code, LA_Name, Measure,
  Description, Group, Numerator, Denominator, Outcome``. Header spellings
  vary between releases, so the code column may be ``LA_Code``, ``ONS Code``,
  ``Geographical Code`` or ``Area Code`` (ONS or integer CLD codes), the
  measure ``Measure`` or ``Measure ID``, the value ``Outcome`` or ``Value``,
  the period ``Reporting_Period``, ``Year`` or ``Financial Year``.
* **Peer groups**: NHS England's adult social care nearest neighbours
  (NHSDigital/ASC_LA_Peer_Groups, MIT licence), its ``peers.csv``: the council's
  name (``UTLA22NM``) then columns ``1`` ... ``15``, the peers' names nearest
  first. Names are matched to ONS codes through careties' council list.

The published NHS England files could not be fetched where careties was
built; these loaders follow the layouts above (the SQL's output columns and
the peer pipeline's ``final_output.to_csv``) and are tested on files written
in them. :func:`comparison` puts them together for one council and year.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from careties.data import councils
from careties.data.codes import ENGLAND_CODE
from careties.data.layouts import normalise_header
from careties.referrals.rates import add_rate_ci

PUBLISHED_COLUMNS = ("la_code", "financial_year", "measure", "numerator", "denominator", "outcome")

_CODE = ("la_code", "ons_code", "geographical_code", "area_code", "code", "cassr_code")
_MEASURE = ("measure", "measure_id", "ascof_measure")
_VALUE = ("outcome", "value", "measure_value")
_PERIOD = ("reporting_period", "financial_year", "year", "period")


class PublishedFileError(ValueError):
    """A published file careties cannot read: says which column is missing."""


def _pick(columns: list[str], names: tuple[str, ...], what: str, path: Path) -> str:
    for name in names:
        if name in columns:
            return name
    raise PublishedFileError(f"{path.name}: no {what} column (one of {', '.join(names)})")


def financial_year_of_period(text: str) -> str | None:
    """``"1 Apr 24 - 31 Mar 25"``, ``"2024-25"``, ``"2024/25"`` -> ``"2024-25"``."""
    text = str(text or "").strip()
    found = re.search(r"\b(20\d\d)\s*[-/]\s*(\d\d)\b", text)
    if found:
        return f"{found.group(1)}-{found.group(2)}"
    found = re.search(r"(?:Apr|April)\w*\s+(\d{2,4})", text)
    if found:
        start = int(found.group(1)) % 100
        return f"20{start:02d}-{(start + 1) % 100:02d}"
    return None


def _ons(code: pl.Expr) -> pl.Expr:
    text = code.cast(pl.String).str.strip_chars().str.replace(r"\.0+$", "").str.to_uppercase()
    return (
        pl.when(text.str.contains(r"^\d{1,3}$"))
        .then(text.str.zfill(3).replace_strict(councils.ons_by_cassr(), default=None))
        .otherwise(text)
    )


def read_published_ascof(path: str | Path) -> pl.DataFrame:
    """A published ASCOF file -> ``PUBLISHED_COLUMNS`` (ONS codes; ``"ASCOF 2C"`` style measures)."""
    path = Path(path)
    raw = pl.read_csv(path, infer_schema=False)
    raw = raw.rename({c: normalise_header(c) for c in raw.columns})
    columns = raw.columns
    code = _pick(columns, _CODE, "council code", path)
    measure = _pick(columns, _MEASURE, "measure", path)
    value = _pick(columns, _VALUE, "outcome", path)
    period = _pick(columns, _PERIOD, "reporting period", path)
    number = {
        c: pl.col(c).str.replace_all(",", "").cast(pl.Float64, strict=False)
        for c in ("numerator", "denominator", value)
        if c in columns
    }
    frame = raw.select(
        _ons(pl.col(code)).alias("la_code"),
        pl.col(period)
        .map_elements(financial_year_of_period, return_dtype=pl.String)
        .alias("financial_year"),
        pl.concat_str(
            pl.lit("ASCOF "),
            pl.col(measure).str.replace(r"(?i)^\s*ascof\s*", "").str.strip_chars(),
        ).alias("measure"),
        number.get("numerator", pl.lit(None, pl.Float64)).alias("numerator"),
        number.get("denominator", pl.lit(None, pl.Float64)).alias("denominator"),
        number[value].alias("outcome"),
    )
    return frame.filter(pl.col("la_code").is_not_null())


def read_peer_groups(path: str | Path) -> pl.DataFrame:
    """NHS England's ``peers.csv`` -> ``la_code, peer_code, peer_rank`` (1 = nearest)."""
    path = Path(path)
    raw = pl.read_csv(path, infer_schema=False)
    name_column = raw.columns[0]
    ranks = [c for c in raw.columns[1:] if c.strip().isdigit()]
    if not ranks:
        raise PublishedFileError(f"{path.name}: no peer columns 1, 2, ... after the council name")
    long = raw.unpivot(index=name_column, on=ranks, variable_name="peer_rank", value_name="peer")
    lookup = {name: councils.ons_code_for_name(name) for name in set(raw[name_column].to_list())}
    lookup |= {name: councils.ons_code_for_name(name) for name in set(long["peer"].drop_nulls())}
    unknown = sorted(name for name, code in lookup.items() if code is None and name)
    if unknown:
        raise PublishedFileError(
            f"{path.name}: councils careties does not know: {', '.join(unknown)}"
        )
    return long.select(
        pl.col(name_column).replace_strict(lookup).alias("la_code"),
        pl.col("peer").replace_strict(lookup, default=None).alias("peer_code"),
        pl.col("peer_rank").str.strip_chars().cast(pl.Int64),
    ).sort("la_code", "peer_rank")


def comparison(
    published: pl.DataFrame,
    la_code: str,
    financial_year: str,
    measure: str = "ASCOF 2C",
    peers: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The council, England, its region and its peers for one measure and year, ranked.

    Columns: ``label, la_code, group, numerator, denominator, outcome, lower_95,
    upper_95, rank`` (rank among the council and its peers, 1 = lowest rate,
    lower is better for 2B/2C). England and the region are the published rows
    when the file has them, else the sums of their councils' numerators and
    denominators. Intervals: Byar's method on the published counts.
    """
    rows = published.filter(
        (pl.col("financial_year") == financial_year) & (pl.col("measure") == measure)
    )
    region_name = councils.region_of(la_code)
    in_region = {r["ons_code"] for r in councils.councils() if r["region"] == region_name}
    peer_codes = (
        peers.filter(pl.col("la_code") == la_code)["peer_code"].drop_nulls().to_list()
        if peers is not None
        else []
    )
    council_rows = rows.filter(pl.col("la_code").str.contains(r"^E(06|07|08|09|10)"))
    parts = [
        council_rows.filter(pl.col("la_code") == la_code).with_columns(
            pl.lit("council").alias("group")
        ),
        council_rows.filter(pl.col("la_code").is_in(peer_codes)).with_columns(
            pl.lit("peer").alias("group")
        ),
        _aggregate(rows, council_rows, ENGLAND_CODE, None, "England"),
        _aggregate(rows, council_rows, None, in_region, region_name or "region"),
    ]
    names = {r["ons_code"]: r["name"] for r in councils.councils()} | {ENGLAND_CODE: "England"}
    table = pl.concat([p for p in parts if p is not None], how="diagonal_relaxed")
    table = add_rate_ci(
        table, count="numerator", denominator="denominator", multiplier=100_000, prefix="_rate"
    ).drop("_rate")
    ranked = table.filter(pl.col("group").is_in(["council", "peer"])).with_columns(
        pl.col("outcome").rank("min").cast(pl.Int64).alias("rank")
    )
    others = table.filter(~pl.col("group").is_in(["council", "peer"]))
    return (
        pl.concat([ranked, others], how="diagonal_relaxed")
        .with_columns(
            pl.col("la_code").replace_strict(names, default=pl.col("la_code")).alias("label")
        )
        .select(
            "label",
            "la_code",
            "group",
            "numerator",
            "denominator",
            "outcome",
            "lower_95",
            "upper_95",
            "rank",
        )
    )


def _aggregate(
    rows: pl.DataFrame,
    council_rows: pl.DataFrame,
    code: str | None,
    members: set[str] | None,
    label: str,
) -> pl.DataFrame | None:
    """The published row for ``code`` if there is one, else the sum over ``members``."""
    if code is not None:
        given = rows.filter(pl.col("la_code") == code)
        if not given.is_empty():
            return given.with_columns(pl.lit("England").alias("group"))
        members_rows = council_rows
    else:
        members_rows = council_rows.filter(pl.col("la_code").is_in(sorted(members or [])))
    if members_rows.is_empty():
        return None
    totals = members_rows.select(pl.col("numerator").sum(), pl.col("denominator").sum())
    numerator, denominator = totals.row(0)
    outcome = round(numerator / denominator * 100_000, 1) if denominator else None
    group = "England" if code is not None else "region"
    return pl.DataFrame(
        {
            "la_code": [code or label],
            "financial_year": [members_rows["financial_year"][0]],
            "measure": [members_rows["measure"][0]],
            "numerator": [numerator],
            "denominator": [denominator],
            "outcome": [outcome],
            "group": [group],
        }
    )


def agreement_line(
    own_rate: float | None, own_count: int | None, published_row: dict | None
) -> str:
    """Whether careties' figure agrees with the published one for the same council and year."""
    if published_row is None or published_row.get("outcome") is None:
        return "No published figure for this council and year to compare with."
    if own_rate is None:
        return "careties has no figure for this year to compare with the published one."
    published = published_row["outcome"]
    if round(own_rate, 1) == round(published, 1):
        return f"careties' figure {own_rate:.1f} agrees with the published {published:.1f}."
    detail = ""
    if own_count is not None and published_row.get("numerator") is not None:
        detail = f" (admissions {own_count} against {int(published_row['numerator'])})"
    return (
        f"careties' figure {own_rate:.1f} differs from the published {published:.1f}{detail}: "
        "see the data-quality view for what each rule left out."
    )
