"""Privacy rules for survey results: small groups suppressed, free text kept apart.

Two rules from careties' design (DESIGN.md, "Small numbers"):

* No survey result is shown or exported for a group of fewer than
  :data:`MIN_RESPONDENTS` (5) respondents. Every scoring function in this
  package applies :func:`suppress_small_groups` before returning, so a
  suppressed row keeps its grouping columns and ``suppressed = True`` but every
  count, score and interval is null.
* Free-text answers can identify their author (a GP who mentions "my
  practice's three care homes"), so :func:`split_free_text` stores them apart
  from the attributes that could be joined to them; only the council role sees
  them (enforced by the web layer's permissions).

This is primary suppression only: a suppressed practice's figures could in
principle be recovered by subtracting the other practices from the council
total when every other practice is shown. Views that show a council total next
to per-practice rows should suppress a second group where exactly one is
suppressed; the web layer owns that decision because it knows what sits on a
page together.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence

import polars as pl

from careties.relations.surveys.instruments import (
    INSTRUMENT_NAMES,
    Instrument,
    load_instrument,
)

#: Fewest respondents a survey result may describe (DESIGN.md).
MIN_RESPONDENTS = 5

FREE_TEXT_COLUMNS: tuple[str, ...] = (
    "text_id",
    "wave",
    "la_code",
    "instrument",
    "question_id",
    "text",
)


def suppress_small_groups(
    frame: pl.DataFrame,
    count_column: str | Sequence[str],
    value_columns: Sequence[str],
    min_respondents: int = MIN_RESPONDENTS,
) -> pl.DataFrame:
    """Null every value and the count where ``count_column`` < ``min_respondents``.

    Adds (or overwrites) a boolean ``suppressed`` column. A null count counts
    as too small. The grouping columns are left as they are, so the web layer
    can say "fewer than 5 responses" against the right practice or team. A
    comparison of two groups (two waves, GPs against social care) names both
    counts: the row is suppressed when either group is too small.
    """
    if min_respondents < 1:
        raise ValueError("min_respondents must be at least 1")
    counts = [count_column] if isinstance(count_column, str) else list(count_column)
    too_small = pl.any_horizontal(
        [pl.col(c).is_null() | (pl.col(c) < min_respondents) for c in counts]
    )
    columns = [*value_columns, *counts]
    return frame.with_columns(
        [pl.when(too_small).then(None).otherwise(pl.col(c)).alias(c) for c in columns]
        + [too_small.alias("suppressed")]
    )


def _instruments(
    instrument: Instrument | str | Iterable[Instrument | str] | None,
) -> list[Instrument]:
    if instrument is None:
        return [load_instrument(name) for name in INSTRUMENT_NAMES]
    if isinstance(instrument, Instrument | str):
        instrument = [instrument]
    return [load_instrument(i) if isinstance(i, str) else i for i in instrument]


def split_free_text(
    responses: pl.DataFrame,
    instrument: Instrument | str | Iterable[Instrument | str] | None = None,
    rng: random.Random | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Separate free-text answers from everything that could identify their author.

    Returns ``(attributes, free_text)``:

    * ``attributes``: the ``survey_responses`` rows that are not free text,
      unchanged (same columns), for scoring and storage as usual.
    * ``free_text``: one row per non-blank free-text answer with columns
      ``text_id`` (a fresh random id, not derived from ``response_id``),
      ``wave``, ``la_code``, ``instrument``, ``question_id`` and ``text``, in a
      shuffled order. It carries no ``response_id``, ``respondent_id`` or
      ``organisation``, so a comment cannot be joined back to its author's
      practice, team or other answers.

    ``instrument`` names which questions are free text (those flagged
    ``free_text: true`` in the YAML); by default, every installed instrument's
    newest version. Only rows whose ``instrument`` matches the instrument's id
    are treated as free text for that instrument. ``rng`` makes the shuffle
    repeatable in tests; ids are random UUIDs either way.
    """
    free_pairs = [
        (inst.id, question_id)
        for inst in _instruments(instrument)
        for question_id in inst.free_text_ids
    ]
    is_free = pl.lit(False)
    for instrument_id, question_id in free_pairs:
        is_free = is_free | (
            (pl.col("instrument") == instrument_id) & (pl.col("question_id") == question_id)
        )
    attributes = responses.filter(~is_free)
    texts = responses.filter(
        is_free & pl.col("answer").is_not_null() & (pl.col("answer").str.strip_chars() != "")
    ).select("wave", "la_code", "instrument", "question_id", pl.col("answer").alias("text"))
    order = list(range(texts.height))
    (rng or random.SystemRandom()).shuffle(order)
    texts = texts.select(pl.all().gather(order))
    text_ids = [uuid.uuid4().hex for _ in range(texts.height)]
    free_text = texts.with_columns(pl.Series("text_id", text_ids, dtype=pl.String)).select(
        FREE_TEXT_COLUMNS
    )
    return attributes, free_text
