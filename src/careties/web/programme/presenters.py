"""Turn forms, frames and results into what the templates show: plain dicts and strings."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
from django import forms
from django.db.models import Q

from careties.labels import label
from careties.planning.actions import STATUSES, progress_by_approach
from careties.planning.evaluation import ProgrammeEvaluation
from careties.planning.pledge import CouncilActivity, commitment_evidence, quarter_bounds
from careties.web import selectors as store_selectors
from careties.web.store.models import ImportBatch, SurveyResponse
from careties.web.surveys.models import Wave

from . import selectors
from .models import ActionItem, Activity, SignPost
from .widgets import PARTS, date_parts

STATUS_LABELS = dict(STATUSES)
STATUS_TAG = {"not_started": "grey", "in_progress": "blue", "blocked": "red", "done": "green"}


def _kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if getattr(widget, "input_type", "") in {"date", "day_month_year"}:
        return "date"
    return "input"


def _value(field: forms.BoundField):
    value = field.value()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _date_parts(form: forms.Form, field: forms.BoundField) -> dict[str, str]:
    """Day, month and year as typed (so a mistake is shown back), else the date's parts."""
    typed = {p: form.data.get(f"{field.html_name}-{p}") for p in PARTS} if form.is_bound else {}
    if any(v is not None for v in typed.values()):
        return {p: str(v or "") for p, v in typed.items()}
    return date_parts(field.value())


def form_fields(form: forms.Form) -> list[dict]:
    """One dict per field for the NHS component macros (label, hint, error, items)."""
    out = []
    for field in form:
        kind = _kind(field)
        value = _value(field)
        selected = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
        entry = {
            "kind": kind,
            "name": field.html_name,
            "id": field.auto_id,
            "label": field.label,
            "hint": str(field.help_text) if field.help_text else None,
            "error": " ".join(str(e) for e in field.errors) or None,
            "value": "" if value is None else value,
            "required": field.field.required,
            # The file types a file input offers (its widget's ``accept``), if the form names them.
            "accept": field.field.widget.attrs.get("accept"),
        }
        if kind == "date":
            entry["parts"] = _date_parts(form, field)
        if kind in {"checkboxes", "radios", "select"}:
            entry["items"] = [
                {
                    "value": str(v),
                    # Never Django's "---------": a select asks, radios start unchosen.
                    "text": "Select an option" if str(t).startswith("-----") else str(t),
                    "checked": str(v) in selected,
                    "selected": str(v) in selected,
                }
                for v, t in field.field.choices
                if not (kind in {"radios", "checkboxes"} and str(v) == "")
            ]
        out.append(entry)
    return out


def error_list(form: forms.Form) -> list[dict]:
    """The error summary: each message links to its field."""
    items = [{"text": str(e), "href": "#main-content"} for e in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            # The NHS checkbox and radio macros give the first item the prefix itself as id.
            # A date's error takes the reader to its day box.
            day = "-day" if _kind(field) == "date" else ""
            items.append({"text": str(error), "href": f"#{field.auto_id}{day}"})
    return items


def council_activity(la_code: str, today: dt.date) -> CouncilActivity:
    """This quarter's counts behind the pledge evidence rules."""
    start, end = quarter_bounds(today)
    items = ActionItem.objects.filter(la_code=la_code, updated_at__date__range=(start, end))
    contacts = store_selectors.load_frame("contacts", la_code)
    return CouncilActivity(
        activities_logged=Activity.objects.filter(
            la_code=la_code, activity_date__range=(start, end)
        ).count(),
        plan_items_active=items.filter(status__in=["in_progress", "done"]).count(),
        approaches_with_completed_items=items.filter(status="done")
        .values("approach")
        .distinct()
        .count(),
        relationship_records=contacts.filter(pl.col("contact_date").is_between(start, end)).height
        + survey_answers(la_code, start, end),
        signposts=SignPost.objects.filter(
            la_code=la_code, signposted_on__range=(start, end)
        ).count(),
    )


def survey_answers(la_code: str, start: dt.date, end: dt.date) -> int:
    """Survey submissions collected in the quarter: the pledge counts them beside contacts.

    Answers carry no date, so a submission counts when its wave was open during
    the quarter or its file was imported during it.
    """

    waves = Wave.objects.filter(la_code=la_code, opens_on__lte=end, closes_on__gte=start)
    sources = ImportBatch.objects.filter(
        kind="survey_responses", created_at__date__range=(start, end)
    ).values_list("source", flat=True)
    return (
        SurveyResponse.objects.filter(la_code=la_code)
        .filter(Q(wave__in=waves.values_list("name", flat=True)) | Q(source__in=list(sources)))
        .values("response_id")
        .distinct()
        .count()
    )


def pledge_evidence(la_code: str, today: dt.date) -> dict:
    start, end = quarter_bounds(today)
    evidence = commitment_evidence(council_activity(la_code, today))
    return {
        "quarter": f"{start:%-d %B %Y} to {end:%-d %B %Y}",
        "rows": [
            {
                "title": e.commitment.title,
                "text": e.commitment.text,
                "rule": e.commitment.evidence_rule,
                "met": e.met,
                "detail": e.detail,
            }
            for e in evidence
        ],
        "met": sum(e.met for e in evidence),
    }


def plan_progress(la_code: str, today: dt.date) -> list[dict]:
    progress = progress_by_approach(selectors.action_items(la_code), today)
    return progress.to_dicts()


def item_row(item: ActionItem, today: dt.date) -> dict:
    return {
        "pk": item.pk,
        "title": item.title,
        "owner": item.owner,
        "due": item.due_date,
        "overdue": item.status != "done" and item.due_date < today,
        "status": STATUS_LABELS[item.status],
        "tag": STATUS_TAG[item.status],
        "targets": ", ".join([*item.target_practices, *item.target_gps]) or "–",
    }


def _fmt(x: float | None, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.{digits}f}"


def evaluation_rows(results: list[ProgrammeEvaluation]) -> list[dict]:
    rows = []
    for r in results:
        rows.append(
            {
                "label": r.label,
                "units": r.units,
                "error": r.error,
                "verdict": r.verdict,
                "caveats": r.caveats,
                "effect": _fmt(r.effect),
                "interval": f"{_fmt(r.ci_low)} to {_fmt(r.ci_high)}",
                "relative": "–"
                if r.relative_effect is None
                else f"{100 * r.relative_effect:+.0f}%",
                "relative_interval": "–"
                if r.relative_ci_low is None
                else f"{100 * r.relative_ci_low:+.0f}% to {100 * r.relative_ci_high:+.0f}%",
                "p_value": _fmt(r.p_value, 3),
                "pre_trend": _fmt(r.pre_trend_p_value, 3),
                "significant": r.significant,
                "n_targeted": r.n_targeted,
                "n_comparison": r.n_comparison,
                "quarters": f"{r.quarters_before} before, {r.quarters_after} after",
            }
        )
    return rows


def service_view(row: dict) -> dict:
    """A directory entry as a GP reads it."""
    return {
        **row,
        "type_label": label(row["service_type"] or "other", "service_type"),
        "rating": f"{row['quality_rating']} of 5" if row.get("quality_rating") else "Not rated",
        "status_label": row["status"].capitalize(),
    }
