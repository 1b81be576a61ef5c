"""Turn instruments, forms, waves and results into what the templates show.

The templates call the NHS component macros with plain dicts; building those
dicts here keeps the templates short and the wording testable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl
from django.conf import settings

from careties import labels
from careties.data.codes import ROLE_AGENCY
from careties.relations.surveys import Instrument, Question, Section
from careties.relations.surveys.instruments import MAX_NAMES
from careties.web import selectors

#: Shown instead of any figure about fewer than the minimum number of respondents.
SUPPRESSED = "Fewer than {n} responses"


def min_respondents() -> int:
    return int(settings.CARETIES_SUPPRESSION["min_survey_respondents"])


# The survey form --------------------------------------------------------------


@dataclass(frozen=True)
class SectionPage:
    number: int
    count: int
    section: Section
    questions: tuple[Question, ...]

    @property
    def is_last(self) -> bool:
        return self.number == self.count


def section_pages(instrument: Instrument) -> list[SectionPage]:
    """One page per section that has questions, numbered from 1."""
    sections = [
        (s, tuple(q for q in instrument.questions if q.section == s.id))
        for s in instrument.sections
    ]
    sections = [(s, qs) for s, qs in sections if qs]
    return [SectionPage(i, len(sections), s, qs) for i, (s, qs) in enumerate(sections, start=1)]


def field_id(question: Question) -> str:
    return f"q-{question.id}"


def question_params(
    question: Question,
    answers: Mapping[str, object],
    errors: Mapping[str, str],
    rosters: Mapping[str, list[tuple[str, str]]] | None = None,
) -> dict:
    """Parameters for the NHS radios, checkboxes or textarea macro for one question
    (or for the type-ahead name fields of a ``people`` question, given its roster)."""
    value = answers.get(question.id)
    error = errors.get(question.id)
    text = question.text if question.required else f"{question.text} (optional)"
    if question.kind == "people":
        chosen = [value] if isinstance(value, str) else list(value or [])
        return {
            "macro": "people",
            "id": field_id(question),
            "name": question.id,
            "legend": text,
            "hint": "Start typing a role, practice, team or reference, then pick from the list.",
            "error": error,
            "values": chosen + [""] * max(0, MAX_NAMES - len(chosen)),
            "options": list((rosters or {}).get(question.roster or "", [])),
        }
    common = {
        "idPrefix": field_id(question),
        "name": question.id,
        "hint": {"text": question.hint} if question.hint else None,
        "errorMessage": {"text": error} if error else None,
    }
    legend = {"text": text, "classes": "nhsuk-fieldset__legend--s"}
    if question.kind == "text":
        return {
            **common,
            "macro": "textarea",
            "id": field_id(question),
            "label": {"text": text, "classes": "nhsuk-label--s"},
            "value": value or "",
            "rows": 5,
        }
    items = [{"value": v, "text": label} for v, label in question.options]
    if question.kind == "multi":
        chosen = list(value or []) if not isinstance(value, str) else [value]
        return {
            **common,
            "macro": "checkboxes",
            "fieldset": {"legend": legend},
            "items": [{**item, "checked": item["value"] in chosen} for item in items],
        }
    inline = question.kind == "choice" and len(items) == 2
    return {
        **common,
        "macro": "radios",
        "fieldset": {"legend": legend},
        "classes": "nhsuk-radios--inline" if inline else "",
        "items": [{**item, "checked": item["value"] == value} for item in items],
    }


def error_list(
    questions: tuple[Question, ...] | list[Question], errors: Mapping[str, str]
) -> list[dict]:
    """The error summary entries, in page order, each linking to its question."""
    return [
        {
            "text": f"{errors[q.id]}: {q.text}",
            "href": f"#{field_id(q)}",
        }
        for q in questions
        if q.id in errors
    ]


def answers_from_post(post, questions: tuple[Question, ...]) -> dict[str, object]:
    """The posted answers to ``questions`` only: unknown fields are never read."""
    answers: dict[str, object] = {}
    for question in questions:
        if question.kind == "people":
            chosen = list(dict.fromkeys(v.strip() for v in post.getlist(question.id) if v.strip()))
            if chosen:
                answers[question.id] = chosen
        elif question.kind == "multi":
            chosen = [v for v in post.getlist(question.id) if v]
            if chosen:
                answers[question.id] = chosen
        else:
            value = post.get(question.id, "")
            if value.strip():
                answers[question.id] = value
    return answers


def roster_options(la_code: str) -> dict[str, list[tuple[str, str]]]:
    """The council's professionals a ``people`` question offers, by roster: value the
    pseudonymous id, label the id with role and practice or team (careties has no names)."""
    people = selectors.load_frame("professionals", la_code).sort("organisation", "professional_id")
    out: dict[str, list[tuple[str, str]]] = {"social_care": [], "gp": []}
    for ref, role, organisation in people.select(
        "professional_id", "role", "organisation"
    ).iter_rows():
        label = f"{ref} – {labels.label(role, 'role')}, {organisation}"
        if ROLE_AGENCY.get(role) == "social_care":
            out["social_care"].append((ref, label))
        elif role == "gp":
            out["gp"].append((ref, label))
    return out


def unknown_names(
    questions: tuple[Question, ...], answers: Mapping[str, object], rosters: Mapping[str, list]
) -> dict[str, str]:
    """An error per ``people`` question naming someone who is not on its roster."""
    errors = {}
    for question in questions:
        if question.kind != "people" or not answers.get(question.id):
            continue
        known = {value for value, _ in rosters.get(question.roster or "", [])}
        if any(v not in known for v in answers[question.id]):
            errors[question.id] = "Pick each person from the list"
    return errors


# Django forms as NHS components ----------------------------------------------


def form_errors(form) -> list[dict]:
    """Error summary entries for a Django form, each linking to its field."""
    entries = [{"text": str(e), "href": "#maincontent"} for e in form.non_field_errors()]
    for name, field in form.fields.items():
        for error in form.errors.get(name, []):
            entries.append({"text": str(error), "href": f"#id_{name}"})
        del field
    return entries


# Wave results ----------------------------------------------------------------


def suppressed_label() -> str:
    return SUPPRESSED.format(n=min_respondents())


def headline_rows(indicators: pl.DataFrame) -> list[dict]:
    """Indicator rows for the table, with every suppressed figure replaced by words.

    Checked again here (``denominator`` below the minimum) so a change in the
    scoring package's suppression could never show a small group.
    """
    floor = min_respondents()
    rows = []
    for row in indicators.iter_rows(named=True):
        hidden = (
            bool(row.get("suppressed"))
            or row.get("denominator") is None
            or row["denominator"] < floor
        )
        rows.append(
            {
                "label": row["label"],
                "organisation": row.get("organisation"),
                "suppressed": hidden,
                "numerator": None if hidden else row["numerator"],
                "denominator": None if hidden else row["denominator"],
                "percent": None if hidden else f"{row['percent']:.0f}%",
                "interval": None if hidden else f"{row['lower']:.0f}% to {row['upper']:.0f}%",
            }
        )
    return rows


def response_count_text(count: int) -> str:
    """How many responses a wave has, without ever stating a number below the minimum."""
    if count == 0:
        return "No responses yet"
    if count < min_respondents():
        return suppressed_label()
    return f"{count:,} responses"
