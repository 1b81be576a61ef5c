"""Answers from other survey tools: column mappings and the all-or-nothing CSV import.

Councils often run a wave in a tool they already have (SmartSurvey, Microsoft
Forms, Snap). Its CSV export has its own column headings and its own answer
wording; a saved :class:`~careties.web.surveys.models.ColumnMapping` says once
which column answers which question and which answer wording means which
coded answer, so each later export imports with no further work.

An import stores nothing unless every row is valid: the council fixes the file
and imports it again, rather than chasing a half-loaded wave.

The writes (a mapping made or changed, an import) are services as the HackSoft
styleguide writes them: keyword-only, typed arguments (the acting user
included), one transaction, the audit entry written inside it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from careties.data.sources import decode_spreadsheet_text
from careties.relations.surveys import Instrument, load_instrument, validate_answers
from careties.web.limits import LimitError, check_csv_text
from careties.web.store.models import ImportBatch, SurveyResponse
from careties.web.store.services import record_audit
from careties.web.survey_guard import foreign_organisations

from .forms import PRACTICE_CODE, TEAM_CODE
from .models import ColumnMapping, Wave
from .services import NothingStored, audit_wave, stored_user
from .storage import answer_rows, store_answers

#: Distinct answers remembered per sample column; more than this is free text.
MAX_SAMPLE_VALUES = 40
#: Separators other tools use between the choices of a multiple-answer question.
MULTI_SPLIT = (";", "|", ",")
#: The coded "answer" for wordings that mean no answer at all ("Prefer not to say", "N/A").
NO_ANSWER = "__blank__"


class CsvUnreadable(ValueError):
    """The file is not a CSV with a header row that careties can read."""


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based data row; the header is row 0
    column: str
    reason: str


class ImportRefused(NothingStored):
    """The file has errors (``errors``, a list of :class:`RowError`); nothing was stored."""

    summary = "{count} problems found; nothing was imported"


@dataclass(frozen=True)
class ImportOutcome:
    responses: int
    rows: int
    comments: int


def read_csv(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV export, tolerating a byte-order mark and Windows encodings."""
    decoded = decode_spreadsheet_text(data)
    if decoded is None:  # pragma: no cover - cp1252 decodes almost anything
        raise CsvUnreadable("The file is not text: save it from your survey tool as CSV")
    text = decoded[0]
    try:
        check_csv_text(text)
    except LimitError as error:
        raise CsvUnreadable(str(error)) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise CsvUnreadable("The file is empty") from None
    except csv.Error as error:
        raise CsvUnreadable(f"The header row cannot be read: {error}") from None
    if not any(header):
        raise CsvUnreadable("The first row must name the columns")
    counted = Counter(h for h in header if h)  # linear: header.count() per column was quadratic
    duplicates = sorted(h for h, n in counted.items() if n > 1)
    if duplicates:
        raise CsvUnreadable(f"Column names must differ; repeated: {', '.join(duplicates[:20])}")
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            rows.append(
                {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
            )
    except csv.Error as error:  # e.g. a field over the csv module's size limit
        raise CsvUnreadable(
            f"Row {reader.line_num} cannot be read: {error}. Check the file is the survey export."
        ) from None
    return header, rows


def sample_values(header: list[str], rows: Iterable[dict[str, str]]) -> dict[str, list[str]]:
    """Distinct non-blank answers per column, in first-seen order, capped per column."""
    seen: dict[str, dict[str, None]] = {h: {} for h in header}
    for row in rows:
        for column in header:
            value = row.get(column, "")
            if value and len(seen[column]) <= MAX_SAMPLE_VALUES:
                seen[column][value] = None
    return {c: list(v)[:MAX_SAMPLE_VALUES] for c, v in seen.items()}


def create_mapping(
    *, name: str, la_code: str, instrument: str, sample: bytes, user: User | None
) -> ColumnMapping:
    """A new mapping from a sample export, guessing columns whose heading is a question id."""
    header, rows = read_csv(sample)
    header = [h for h in header if h]
    known = set(load_instrument(instrument).question_ids)
    with transaction.atomic():
        mapping = ColumnMapping.objects.create(
            name=name,
            la_code=la_code,
            instrument=instrument,
            sample_columns=header,
            sample_values=sample_values(header, rows),
            columns={h: h for h in header if h in known},
            created_by=stored_user(user),
        )
        mapping.values = guessed_values(mapping)
        mapping.save(update_fields=["values"])
        record_audit(
            action="change",
            what=f"survey column mapping {name} created",
            user=user,
            la_code=la_code,
        )
    return mapping


def _option_lookup(instrument: Instrument, question_id: str) -> dict[str, str]:
    question = instrument.question(question_id)
    lookup: dict[str, str] = {}
    for value, label in question.options:
        lookup[value.casefold()] = value
        lookup[label.casefold()] = value
    return lookup


def coded_questions(mapping: ColumnMapping) -> dict[str, str]:
    """Mapped columns whose question has fixed answers: source column -> question id."""
    instrument = load_instrument(mapping.instrument)
    return {
        column: qid
        for column, qid in mapping.columns.items()
        if qid != ColumnMapping.ORGANISATION_COLUMN and instrument.question(qid).options
    }


def guessed_values(mapping: ColumnMapping) -> dict[str, dict[str, str]]:
    """Answer wordings already matching a coded value or its label, kept; the rest asked."""
    instrument = load_instrument(mapping.instrument)
    guessed: dict[str, dict[str, str]] = {}
    for column, question_id in coded_questions(mapping).items():
        lookup = _option_lookup(instrument, question_id)
        current = mapping.values.get(column, {})
        guessed[column] = {
            value: current.get(value) or lookup.get(value.casefold(), "")
            for value in _split_all(mapping.sample_values.get(column, []), instrument, question_id)
        }
    return guessed


def _split_all(values: list[str], instrument: Instrument, question_id: str) -> list[str]:
    if instrument.question(question_id).kind != "multi":
        return values
    parts: dict[str, None] = {}
    for value in values:
        for part in _split_multi(value):
            parts[part] = None
    return list(parts)


def _split_multi(value: str) -> list[str]:
    for separator in MULTI_SPLIT:
        if separator in value:
            return [p.strip() for p in value.split(separator) if p.strip()]
    return [value.strip()] if value.strip() else []


def update_columns(
    *, mapping: ColumnMapping, columns: dict[str, str], user: User | None
) -> ColumnMapping:
    """Save which column answers which question, and re-guess the answer wordings."""
    mapping.columns = columns
    mapping.values = guessed_values(mapping)
    return _save_audited(mapping, ["columns", "values"], "columns", user)


def update_values(
    *, mapping: ColumnMapping, values: dict[str, dict[str, str]], user: User | None
) -> ColumnMapping:
    """Save which of the tool's answer wordings means which of careties' answers."""
    mapping.values = values
    return _save_audited(mapping, ["values"], "answers", user)


def _save_audited(
    mapping: ColumnMapping, fields: list[str], what: str, user: User | None
) -> ColumnMapping:
    """Save the changed ``fields`` and, in the same transaction, the audit line naming ``what``."""
    with transaction.atomic():
        mapping.save(update_fields=fields)
        record_audit(
            action="change",
            what=f"survey column mapping {mapping.name} {what}",
            user=user,
            la_code=mapping.la_code,
        )
    return mapping


def _translate(
    mapping: ColumnMapping, instrument: Instrument, row: dict[str, str], index: int
) -> tuple[dict[str, object], str | None, list[RowError]]:
    """One CSV row as answers keyed by question id, its organisation, and its problems."""
    answers: dict[str, object] = {}
    organisation: str | None = None
    errors: list[RowError] = []
    for column, target in mapping.columns.items():
        raw = row.get(column, "").strip()
        if target == ColumnMapping.ORGANISATION_COLUMN:
            organisation = raw.upper() or None
            continue
        question = instrument.question(target)
        if not raw:
            continue
        if not question.options:
            answers[target] = raw
            continue
        lookup = _option_lookup(instrument, target)
        lookup.update({k.casefold(): v for k, v in mapping.values.get(column, {}).items() if v})
        parts = _split_multi(raw) if question.kind == "multi" else [raw]
        coded = []
        for part in parts:
            code = lookup.get(part.casefold())
            if code == NO_ANSWER:
                continue
            if code is None:
                errors.append(
                    RowError(
                        index, column, f"the answer {part!r} has no coded answer in this mapping"
                    )
                )
            else:
                coded.append(code)
        if coded:
            answers[target] = coded if question.kind == "multi" else coded[0]
    return answers, organisation, errors


def import_csv(
    *,
    wave: Wave,
    mapping: ColumnMapping,
    data: bytes,
    filename: str,
    organisation: str | None = None,
    user: User | None,
) -> ImportOutcome:
    """Check every row of an export and store all of it, or none of it.

    Each row is one respondent: a random ``response_id``, the wave's council and
    instrument, the organisation from the mapped column (or ``organisation``
    for the whole file), and ``respondent_id`` null. Raises ``ImportRefused``
    with every problem found (row, column, reason) and ``CsvUnreadable`` for a
    file that is not CSV.
    """
    if mapping.instrument != wave.instrument or mapping.la_code != wave.la_code:
        raise ImportRefused([RowError(0, "", "this mapping is for another survey or council")])
    header, rows = read_csv(data)
    missing = [c for c in mapping.columns if c not in header]
    errors: list[RowError] = [
        RowError(0, c, "the mapping needs this column but the file has none") for c in missing
    ]
    if not rows:
        errors.append(RowError(0, "", "the file has no rows of answers"))
    source = f"survey import wave {wave.pk}: {filename}"[:255]
    if SurveyResponse.objects.filter(source=source).exists():
        errors.append(
            RowError(
                0,
                "",
                "a file with this name has already been imported into this wave; "
                "rename the file if it holds different answers",
            )
        )
    if errors:
        raise ImportRefused(errors)
    instrument = load_instrument(wave.instrument)
    column_for = {qid: column for column, qid in mapping.columns.items()}
    prepared = []
    for index, row in enumerate(rows, start=1):
        answers, row_organisation, row_errors = _translate(mapping, instrument, row, index)
        errors += row_errors
        for question_id, message in validate_answers(instrument, answers).items():
            column = column_for.get(question_id, f"(no column for {question_id})")
            errors.append(RowError(index, column, message))
        row_organisation = row_organisation or organisation
        if wave.instrument == "older_person":
            row_organisation = None
        elif row_organisation is None:
            errors.append(
                RowError(
                    index,
                    column_for.get(ColumnMapping.ORGANISATION_COLUMN, ""),
                    "no practice or team code",
                )
            )
        else:
            pattern = PRACTICE_CODE if wave.instrument == "gp" else TEAM_CODE
            if not pattern.match(row_organisation):
                errors.append(
                    RowError(
                        index,
                        column_for.get(ColumnMapping.ORGANISATION_COLUMN, ""),
                        f"{row_organisation!r} is not a valid code",
                    )
                )
        prepared.append((answers, row_organisation))
    foreign = set(foreign_organisations(wave.la_code, {o for _, o in prepared if o}))
    for index, (_, row_organisation) in enumerate(prepared, start=1):
        if row_organisation in foreign:
            errors.append(
                RowError(
                    index,
                    column_for.get(ColumnMapping.ORGANISATION_COLUMN, ""),
                    f"{row_organisation} is not a practice or team of {wave.la_code}",
                )
            )
    if errors:
        raise ImportRefused(errors)
    total_rows = total_comments = 0
    with transaction.atomic():
        for answers, row_organisation in prepared:
            coded, comments = answer_rows(instrument, answers)
            stored = store_answers(
                wave=wave,
                organisation=row_organisation,
                coded=coded,
                comments=comments,
                source=source,
            )
            total_rows += stored.rows
            total_comments += stored.comments
        ImportBatch.objects.create(
            kind="survey_responses",
            source=source,
            rows=total_rows,
            user=stored_user(user),
        )
        audit_wave(
            wave,
            f"survey responses for wave {wave.name} from {filename}",
            user=user,
            detail=f"{len(prepared)} responses via mapping {mapping.name}",
            action="import",
        )
    return ImportOutcome(responses=len(prepared), rows=total_rows, comments=total_comments)
