"""The Better Care Fund report: ASCOF 2C, the relationship metrics and the pledge status.

Built from the same sections as the pages (so the same disclosure), as a PDF
(reportlab, with matplotlib images of the charts: paper cannot run plotly.js)
and as an XLSX workbook with one sheet per table.
"""

from __future__ import annotations

import datetime as dt
import io

import polars as pl

from careties.planning.pledge import CouncilActivity, commitment_evidence, quarter_bounds
from careties.web import exports
from careties.web.disclosure import Disclosure
from careties.web.presenters.base import (
    Column,
    Context,
    Draft,
    Section,
    build,
    section,
)
from careties.web.programme import selectors as programme

BCF_SECTIONS = (
    "ascof",
    "benchmarks",  # the council beside England, region and peers (published ASCOF)
    "data_quality",  # what each ASCOF rule left out (careties.referrals.quality)
    "spc",
    "rc_directions",
    "health_trends",
    "pledge_status",
)


@section(
    "pledge_status",
    "Home Truths pledge: commitments and this quarter's evidence",
    "report",
    cacheable=False,
)
def pledge_status(ctx: Context) -> Draft:
    """Each commitment, whether it is signed, and the evidence careties holds this quarter."""
    start, end = quarter_bounds(dt.date.today())
    signatures = programme.signatures([ctx.la_code])
    activities = programme.activity_contacts(ctx.la_code).filter(
        pl.col("contact_date").is_between(start, end)
    )
    items = programme.action_items(ctx.la_code)
    this_quarter = items.filter(pl.col("updated_on").is_between(start, end))
    contacts = ctx.frame("contacts").filter(pl.col("contact_date").is_between(start, end))
    signposts = programme.signposts(ctx.la_code).filter(
        pl.col("signposted_on").is_between(start, end)
    )
    activity = CouncilActivity(
        activities_logged=activities.height,
        plan_items_active=this_quarter.filter(
            pl.col("status").is_in(["in_progress", "done"])
        ).height,
        approaches_with_completed_items=this_quarter.filter(pl.col("status") == "done")[
            "approach_id"
        ].n_unique(),
        relationship_records=contacts.height,
        signposts=signposts.height,
    )
    council_signed = bool(signatures.filter(pl.col("organisation_type") == "council").height)
    practices_signed = signatures.filter(pl.col("organisation_type") == "practice")[
        "organisation_code"
    ].n_unique()
    frame = pl.DataFrame(
        [
            {
                "commitment": e.commitment.title,
                "met": e.met,
                "evidence": e.detail,
                "rule": e.commitment.evidence_rule,
            }
            for e in commitment_evidence(activity)
        ]
    )
    return Draft(
        frame=frame,
        columns=[
            Column("commitment", "Commitment"),
            Column("met", "Evidence this quarter"),
            Column("evidence", "What careties found"),
            Column("rule", "Evidence looked for"),
        ],
        disclosure=Disclosure(level="council"),
        note=(
            f"Quarter {start:%d %b} to {end:%d %b %Y}. Council "
            + ("has signed" if council_signed else "has not signed")
            + f" the pledge; {practices_signed} practices have signed."
        ),
    )


def bcf_sections(context: Context) -> list[Section]:
    return [build(key, context) for key in BCF_SECTIONS]


def _chart_png(built: Section) -> bytes | None:
    """A static image of the section's figures for paper (matplotlib, no browser)."""
    if built.table is None or not built.figure or not built.figure.get("data"):
        return None
    # Here, not at the top: matplotlib is heavy and only the PDF needs it.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3), dpi=150)
    plotted = False
    for trace in built.figure["data"]:
        x, y = trace.get("x"), trace.get("y")
        if trace.get("orientation") == "h" and x and y:
            # A ranked chart (the council beside its peers): horizontal bars with intervals.
            _ranked_bars(ax, trace)
            plotted = True
            continue
        if not x or not y or trace.get("orientation") == "h":
            continue
        pairs = [(a, b) for a, b in zip(x, y, strict=False) if b is not None]
        if not pairs:
            continue
        labels = [str(a) for a, _ in pairs]
        values = [float(b) for _, b in pairs]
        colour = (trace.get("line") or trace.get("marker") or {}).get("color")
        colour = colour if isinstance(colour, str) else None
        if trace.get("type") == "bar":
            ax.bar(labels, values, label=trace.get("name"), color=colour, alpha=0.8)
        else:
            ax.plot(labels, values, label=trace.get("name"), color=colour, linewidth=1.2)
        plotted = True
    if not plotted:
        plt.close(fig)
        return None
    ax.tick_params(axis="x", labelrotation=45, labelsize=6)
    ax.tick_params(axis="y", labelsize=7)
    if len(ax.get_xticks()) > 24:
        for i, label in enumerate(ax.get_xticklabels()):
            label.set_visible(i % 3 == 0)
    ax.legend(fontsize=6, loc="best")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _ranked_bars(ax, trace: dict) -> None:
    """Plotly's horizontal bars with ``error_x`` drawn with matplotlib (intervals kept)."""
    rows = [(str(c), v) for c, v in zip(trace["y"], trace["x"], strict=False)]
    errors = trace.get("error_x") or {}
    upper = errors.get("array") or [None] * len(rows)
    lower = errors.get("arrayminus") or [None] * len(rows)
    kept = [
        (c, float(v), lo or 0.0, up or 0.0)
        for (c, v), lo, up in zip(rows, lower, upper, strict=False)
        if v is not None
    ]
    if not kept:
        return
    labels, values, minus, plus = (list(part) for part in zip(*kept, strict=True))
    ax.barh(labels, values, xerr=[minus, plus], label=trace.get("name"), alpha=0.8)
    ax.tick_params(axis="y", labelsize=6)


def bcf_pdf(council: dict, sections: list[Section]) -> bytes:
    # Here, not at the top: reportlab is only needed when a PDF is asked for.
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, SimpleDocTemplate, Spacer, Table, TableStyle

    from careties.web.pdf import Paragraph  # escapes: names and notes are text, not markup

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=f"Better Care Fund report: {council['name']}",
        author="careties",
        leftMargin=15 * mm,
        rightMargin=15 * mm,
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8.5)
    story = [
        Paragraph(
            f"Better Care Fund report: {council['name']} ({council['la_code']})", styles["Title"]
        ),
        Paragraph(f"Produced by careties on {dt.date.today():%d %B %Y}.", styles["BodyText"]),
    ]
    for built in sections:
        story.append(Paragraph(built.title, styles["Heading2"]))
        if not built.available or built.table is None:
            story.append(Paragraph(built.message or "Not available.", styles["BodyText"]))
            continue
        image = _chart_png(built)
        if image:
            story.append(Image(io.BytesIO(image), width=210 * mm, height=90 * mm))
        rows = [built.table.header(), *built.table.display_rows()]
        rows = [[Paragraph(str(cell), small) for cell in row] for row in rows[:40]]
        table = Table(rows, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#005eb8")),
                    ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#aeb7bd")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
        if built.note:
            story.append(Spacer(1, 2 * mm))
            story.append(Paragraph(built.note, small))
        story.append(Spacer(1, 6 * mm))
    doc.build(story)
    return buffer.getvalue()


def bcf_xlsx(council: dict, sections: list[Section]) -> bytes:
    sheets = [
        (
            "About",
            ["Council", "ONS code", "Produced"],
            [[council["name"], council["la_code"], dt.date.today().isoformat()]],
        )
    ]
    for built in sections:
        if built.table is None:
            sheets.append((built.title, ["Status"], [[built.message or "Not available."]]))
        else:
            sheets.append((built.title, built.table.header(), built.table.export_rows()))
    # Each table's note (periods, methods, whether careties agrees with the published figure).
    notes = [[built.title, built.note] for built in sections if getattr(built, "note", None)]
    if notes:
        sheets.append(("Notes", ["Section", "Note"], notes))
    return exports.xlsx_bytes(sheets)
