"""``careties report referrals``: a council's admissions, outlying practices and GPs to work with.

The data come from the database (``careties.web.selectors.load_frames``) or,
with ``--synthetic``, from a freshly generated synthetic council, so the
command can be tried without importing anything.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polars as pl

from careties.cli import CommandError
from careties.data.codes import LA_CODE_PATTERN
from careties.data.synth import generate
from careties.labels import label
from careties.referrals.quality import data_quality

FORMATS = ("text", "csv", "xlsx", "json")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``report`` and its ``referrals`` sub-command."""
    report = subparsers.add_parser("report", help="Reports on a council's data.")
    kinds = report.add_subparsers(dest="report", metavar="REPORT")
    referrals = kinds.add_parser(
        "referrals",
        help="ASCOF 2C, practices outside the 99.8%% funnel limits, and the GPs to target.",
    )
    add_data_arguments(referrals)
    referrals.add_argument(
        "--share", type=float, default=0.25, help="share of GPs targeted (default 0.25)"
    )
    referrals.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text on screen (default), json, csv (one file per table) or xlsx",
    )
    referrals.add_argument(
        "--output",
        type=Path,
        help="file (xlsx, json) or directory (csv) to write; json goes to stdout without it",
    )
    referrals.add_argument("--head", type=int, default=10, help="target list rows shown (text)")
    referrals.add_argument(
        "--published",
        type=Path,
        metavar="CSV",
        help="published ASCOF file for all councils: the council beside England, region, peers",
    )
    referrals.add_argument(
        "--peers", type=Path, metavar="CSV", help="NHS England's peer groups (peers.csv)"
    )
    referrals.set_defaults(handler=referrals_report)
    report.set_defaults(handler=lambda args: (report.print_help(), 2)[1])


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """``--council`` and ``--synthetic``, shared with ``careties savings``."""
    parser.add_argument("--council", metavar="CODE", help="ONS code of the council, e.g. E06000001")
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="use a generated synthetic council instead of the database",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic data")


def load_council_frames(args: argparse.Namespace) -> tuple[str, dict[str, pl.DataFrame]]:
    """The council code and its canonical frames, from the database or the generator."""
    # Deferred: statsmodels and scipy (through the domain) and Django (the store) load
    # only when this runs, not for `careties --help` or `careties synth`.
    from careties.planning.council import KINDS

    if args.synthetic:
        frames = generate(scale="council", seed=args.seed).frames
        codes = frames["local_authorities"]["la_code"].to_list()
        code = args.council or codes[0]
        if code not in codes:
            raise CommandError(
                f"council {code} is not in the synthetic data; it has {', '.join(codes)}"
            )
        return code, {kind: frames[kind] for kind in KINDS if kind in frames}
    if not args.council:
        raise CommandError("say which council with --council CODE (or try --synthetic)")

    if not LA_CODE_PATTERN.match(args.council):
        raise CommandError(
            f"{args.council!r} is not an ONS council code (E06, E07, E08, E09 or E10 and 6 digits)"
        )
    from careties.web.selectors import load_frames

    return args.council, load_frames(list(KINDS), args.council)


def _fmt(value: object, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _text(
    picture,
    head: int,
    share: float = 0.25,
    quality: pl.DataFrame | None = None,
    own_practices: set[str] | None = None,
) -> str:
    lines = [f"Referrals report for council {picture.la_code}", ""]
    lines.append("Permanent admissions of people 65+ to residential and nursing care")
    for row in picture.ascof.iter_rows(named=True):
        lines.append(
            f"  {row['financial_year']} {row['measure']}: {_fmt(row['rate_per_100k'])} per 100,000 "
            f"({row['admissions_65_plus']} admissions / {_fmt(row['population_65_plus'])} aged 65+; "
            f"95% CI {_fmt(row['lower_95'])} to {_fmt(row['upper_95'])}; "
            f"{row['denominator_source'] or 'no denominator'})"
        )
    lines.append("")
    period = picture.latest_period or "-"
    if picture.funnel.is_empty():
        lines.append("No funnel plot: no registered patients loaded.")
    elif picture.outliers.is_empty():
        lines.append(f"No practice is outside the 99.8% funnel limits in {period}.")
    else:
        lines.append(f"Practices outside the 99.8% funnel limits in {period}:")
        for row in picture.outliers.iter_rows(named=True):
            side = "above" if row["position"].startswith("above") else "below"
            lines.append(
                f"  {row['practice_code']}: {row['count']} admissions, "
                f"{_fmt(row['rate_per_1000'])} per 1,000 patients 65+ ({side}; council "
                f"{_fmt(row['target'])})"
            )
    lines.append("")
    if picture.targeting.frame.is_empty() and not picture.referrers.practices.is_empty():
        lines.extend(_practice_target_text(picture, share, head, own_practices))
    else:
        lines.extend(_gp_target_text(picture, head))
    lines.extend(_quality_text(quality))
    if picture.notes:
        lines.append("")
        lines.append("Notes:")
        lines.extend(f"  - {note}" for note in picture.notes)
    return "\n".join(lines)


def _practice_target_text(
    picture, share: float, head: int, own_practices: set[str] | None
) -> list[str]:
    """Published files alone (CLD names practices, not GPs): the practice target list."""
    # Deferred: this pulls in statsmodels and scipy (seconds to import), which
    # `careties --help` and `careties synth` should not wait for.
    from careties.referrals.practice_targets import PRACTICES_NOT_GPS, practice_targets

    targets = practice_targets(picture.referrers.practices, picture.referrers.months, share)
    chosen = targets.filter(pl.col("in_target_set"))
    lines = [
        PRACTICES_NOT_GPS.format(share=share),
        f"Target list: {chosen.height} of {targets.height} practices ({share:.0%}), over "
        f"{picture.referrers.months} months; top {min(head, chosen.height)}:",
    ]
    for row in chosen.head(head).iter_rows(named=True):
        outside = (
            " (registered outside the council)"
            if own_practices and row["practice_code"] not in own_practices
            else ""
        )
        lines.append(f"  {row['rank']:>3}. {row['practice_code']}{outside}: {row['reason']}")
    return lines


def _quality_text(quality: pl.DataFrame | None) -> list[str]:
    """The data-quality view, small numbers suppressed as on the dashboard."""
    if quality is None or quality.is_empty():
        return []
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web.disclosure import suppress_count

    lines = [
        "",
        "Data quality (rows / people; rounded to 5, * = below the small-number threshold):",
    ]
    measure = None
    for row in quality.iter_rows(named=True):
        if row["measure"] != measure:
            measure = row["measure"]
            lines.append(f"  {measure}:")
        shown = [suppress_count(row[c]) for c in ("rows", "people")]
        rows, people = ("*" if v is None else f"{v:,}" for v in shown)
        lines.append(f"    {row['check']}: {rows} / {people}")
    return lines


def _gp_target_text(picture, head: int) -> list[str]:
    lines = []
    target = picture.targeting.target_set
    months = picture.referrers.months
    lines.append(
        f"Target list: {target.height} of {picture.targeting.frame.height} GPs "
        f"({picture.targeting.share:.0%}), over {months} months; top {min(head, target.height)}:"
    )
    for row in target.head(head).iter_rows(named=True):
        lines.append(
            f"  {row['rank']:>3}. {row['professional_id']} ({row['practice_code']}), "
            f"score {row['score']:.2f}: {row['reason']}"
        )
    weights = ", ".join(
        f"{label(k, 'targeting_component').lower()} {v:.2f}"
        for k, v in picture.targeting.weights.items()
    )
    lines.append(f"  score weights: {weights}")
    return lines


def _comparison(args: argparse.Namespace, picture, code: str):
    """The council beside England, its region and peers (``--published``), and the agreement line."""
    if not args.published:
        return None, None
    # Deferred: this pulls in statsmodels and scipy (seconds to import), which
    # `careties --help` and `careties synth` should not wait for.
    from careties.referrals.published import (
        PublishedFileError,
        agreement_line,
        comparison,
        read_peer_groups,
        read_published_ascof,
    )

    try:
        published = read_published_ascof(args.published)
        peers = read_peer_groups(args.peers) if args.peers else None
    except (PublishedFileError, OSError) as error:
        raise CommandError(str(error)) from None
    own = picture.ascof.filter(
        pl.col("financial_year").is_in(published["financial_year"].implode())
    )
    if own.is_empty():
        return None, "The published file has no year careties has figures for."
    latest = own.sort("financial_year").row(-1, named=True)
    year, measure = latest["financial_year"], latest["measure"]
    table = comparison(published, code, year, measure=measure, peers=peers)
    row = published.filter(
        (pl.col("la_code") == code)
        & (pl.col("financial_year") == year)
        & (pl.col("measure") == measure)
    )
    line = agreement_line(
        latest["rate_per_100k"],
        latest["admissions_65_plus"],
        row.row(0, named=True) if not row.is_empty() else None,
    )
    return table.with_columns(pl.lit(f"{measure} {year}").alias("measure")), line


def _comparison_text(table: pl.DataFrame, agreement: str | None) -> str:
    lines = ["", f"Published {table['measure'][0]}: the council beside England, region and peers"]
    for row in table.iter_rows(named=True):
        rank = f"#{row['rank']} " if row["rank"] is not None else ""
        lines.append(
            f"  {rank}{row['label']} ({row['group']}): {_fmt(row['outcome'])} per 100,000 "
            f"(95% CI {_fmt(row['lower_95'])} to {_fmt(row['upper_95'])})"
        )
    if agreement:
        lines.append(agreement)
    return "\n".join(lines)


def _all_practices(args: argparse.Namespace, frames: dict) -> pl.DataFrame | None:
    """Every practice loaded (any council): cross-border practices are named, not "unknown"."""
    if args.synthetic:
        return frames.get("practices")
    # Django loads only when a command needs the store, so `careties --help` and
    # `careties synth` start without it.
    from careties.web.selectors import load_frame

    return load_frame("practices")


def _council_practices(frames: dict, code: str) -> set[str]:
    practices = frames.get("practices")
    if practices is None or practices.is_empty():
        return set()
    return set(practices.filter(pl.col("la_code") == code)["practice_code"])


def _quality(
    frames: dict[str, pl.DataFrame], code: str, practices: pl.DataFrame | None
) -> pl.DataFrame | None:
    """The council's data-quality view (``careties.referrals.quality``)."""
    events = frames.get("events")
    if events is None or events.is_empty():
        return None
    events = events.filter(pl.col("la_code") == code)
    return data_quality(events, practices)


def _published_only_tables(picture, share: float, quality: pl.DataFrame | None) -> dict:
    """Exports: the practice target list (when there are no GPs) and the data-quality view.

    Data-quality counts in a file leave the server, so small ones are blanked.
    """
    # Deferred: statsmodels and scipy (through the domain) and Django (the store) load
    # only when this runs, not for `careties --help` or `careties synth`.
    from careties.referrals.practice_targets import practice_targets
    from careties.web.disclosure import suppress_count

    tables = {}
    if picture.targeting.frame.is_empty() and not picture.referrers.practices.is_empty():
        tables["practice_targets"] = practice_targets(
            picture.referrers.practices, picture.referrers.months, share
        )
    if quality is not None:
        tables["data_quality"] = quality.with_columns(
            pl.col(c).map_elements(suppress_count, return_dtype=pl.Int64)
            for c in ("rows", "people")
        )
    return tables


def _records(frame: pl.DataFrame) -> list[dict]:
    return json.loads(frame.write_json()) if not frame.is_empty() else []


def referrals_report(args: argparse.Namespace) -> int:
    """Handler of ``careties report referrals``."""
    # Deferred: this pulls in statsmodels and scipy (seconds to import), which
    # `careties --help` and `careties synth` should not wait for.
    from careties.planning.council import CouncilDataError, council_referrals
    from careties.spreadsheets import write_csv, write_workbook

    if not 0.0 < args.share <= 1.0:
        raise CommandError("--share must be above 0 and at most 1, e.g. 0.25")
    code, frames = load_council_frames(args)
    try:
        picture = council_referrals(frames, code, share=args.share)
    except CouncilDataError as error:
        raise CommandError(str(error)) from None
    quality = _quality(frames, code, _all_practices(args, frames))
    compared, agreement = _comparison(args, picture, code)
    if args.format == "text":
        print(_text(picture, args.head, args.share, quality, _council_practices(frames, code)))
        if compared is not None:
            print(_comparison_text(compared, agreement))
        return 0
    tables = picture.tables()
    if compared is not None:
        tables["comparison"] = compared
    tables.update(_published_only_tables(picture, args.share, quality))
    if args.format == "json":
        document = {
            "la_code": code,
            "latest_period": picture.latest_period,
            "share_targeted": picture.targeting.share,
            "weights": picture.targeting.weights,
            "window": [d.isoformat() for d in picture.referrers.window],
            "notes": list(picture.notes),
            **{name: _records(frame) for name, frame in tables.items()},
        }
        text = json.dumps(document, indent=2, default=str)
        if args.output:
            args.output.write_text(text)
        else:
            sys.stdout.write(text + "\n")
        return 0
    if not args.output:
        raise CommandError(
            f"--format {args.format} needs --output (a directory for csv, a file for xlsx)"
        )
    if args.format == "csv":
        for name, frame in tables.items():
            write_csv(frame, args.output / f"{name}.csv")
        print(f"wrote {len(tables)} CSV files to {args.output}")
    else:
        write_workbook(tables, args.output, notes=list(picture.notes))
        print(f"wrote {args.output}")
    return 0
