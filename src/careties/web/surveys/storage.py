"""How one respondent's answers are stored: coded answers as canonical rows, free text apart.

Shared by the two ways answers arrive, the web survey (``services.submit``) and a
CSV export from another tool (``importing.import_csv``), so both store the same
rows. Callers hold the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from careties.relations.surveys import Instrument
from careties.relations.surveys.instruments import MULTI_SEPARATOR
from careties.web.store.models import SurveyResponse

from .models import FreeTextComment, Wave

Answers = Mapping[str, str | Sequence[str] | None]


@dataclass(frozen=True)
class Submission:
    response_id: str
    rows: int
    comments: int


def answer_rows(instrument: Instrument, answers: Answers) -> tuple[dict[str, str], list[str]]:
    """Split answers into coded answers (question id -> stored text) and free-text comments."""
    coded: dict[str, str] = {}
    comments: list[str] = []
    for question in instrument.questions:
        value = answers.get(question.id)
        if value is None:
            continue
        if isinstance(value, str):
            text = value.strip()
        else:
            text = MULTI_SEPARATOR.join(v.strip() for v in value if v and v.strip())
        if not text:
            continue
        if question.free_text:
            comments.append(text)
        else:
            coded[question.id] = text
    return coded, comments


def store_answers(
    *,
    wave: Wave,
    organisation: str | None,
    coded: Mapping[str, str],
    comments: Sequence[str],
    source: str,
    respondent_id: str | None = None,
) -> Submission:
    """Write one respondent's answers as canonical rows plus separate comments.

    Callers wrap this in their own transaction. ``response_id`` is random,
    never derived from the link or the time, and ``respondent_id`` is null:
    an anonymous link knows nobody. A personal link (an invitation) gives the
    professional's pseudonymous id, which network questions need to make a tie.
    """
    response_id = uuid.uuid4().hex
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                source=source,
                response_id=response_id,
                wave=wave.name,
                instrument=wave.instrument,
                la_code=wave.la_code,
                organisation=organisation,
                respondent_id=respondent_id,
                question_id=question_id,
                answer=answer,
            )
            for question_id, answer in coded.items()
        ]
    )
    FreeTextComment.objects.bulk_create(
        [FreeTextComment(wave=wave, la_code=wave.la_code, text=text) for text in comments]
    )
    return Submission(response_id=response_id, rows=len(coded), comments=len(comments))
