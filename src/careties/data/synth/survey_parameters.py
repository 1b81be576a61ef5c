"""The synthetic surveys' parameters: answer lists, wave-1 shares and response rates.

Kept apart from :mod:`careties.data.synth.surveys` (which draws the answers)
so the numbers a reader checks against the Home Truths figures sit on one page,
and so :mod:`careties.data.synth.survey_calibration` reads its targets from the
same shares the generator draws with (:func:`wave1_share`) instead of a copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from careties.data.codes import RC_DIMENSIONS, SURVEY_SERVICE_TYPES

#: The same code lists the survey instruments ask with (careties.data.codes).
KNOWLEDGE_SERVICES = SURVEY_SERVICE_TYPES
KNOWLEDGE = ("know_nothing", "heard_of", "know_well", "have_referred")
SCALE_1_5 = ("1", "2", "3", "4", "5")
YES_NO = ("yes", "no")
TURN_TO = ("family", "gp", "friends", "social_worker", "other")

#: Wave-1 targets: categories ordered from the worst relationship to the best.
KNOWLEDGE_TARGETS: dict[str, tuple[float, ...]] = {
    "telecare": (0.50, 0.30, 0.12, 0.08),
    "exercise_classes": (0.33, 0.40, 0.17, 0.10),
    "social_support": (0.33, 0.37, 0.18, 0.12),
    "reablement": (0.15, 0.35, 0.25, 0.25),
    "day_services": (0.20, 0.40, 0.22, 0.18),
    "home_care": (0.10, 0.30, 0.30, 0.30),
    "carers_support": (0.30, 0.40, 0.18, 0.12),
    "falls_prevention": (0.25, 0.40, 0.20, 0.15),
}


@dataclass(frozen=True)
class Item:
    """One question: ordered answers (worst first), wave-1 shares, and its link to the latent score."""

    question_id: str
    answers: tuple[str, ...]
    shares: tuple[float, ...]
    loading: float
    #: Only asked when this other question's answer is not its first (worst) option.
    requires: str | None = None


GP_ITEMS: tuple[Item, ...] = (
    Item("relationship_asc", SCALE_1_5, (0.22, 0.31, 0.27, 0.15, 0.05), 0.85),
    Item("judge_better", ("gp", "equally", "social_worker"), (0.41, 0.35, 0.24), 0.6),
    # Those with good links already are the few who do not want closer ones.
    Item("want_closer_links", YES_NO, (0.92, 0.08), 0.3),
    Item("help_intervene_earlier", YES_NO, (0.76, 0.24), 0.2),
    Item("admitted_too_early", ("no", "yes"), (0.67, 0.33), 0.0),
    *(
        item
        for s in KNOWLEDGE_SERVICES
        for item in (
            Item(f"knowledge_{s}", KNOWLEDGE, KNOWLEDGE_TARGETS[s], 0.6),
            Item(
                f"quality_{s}",
                SCALE_1_5,
                (0.15, 0.30, 0.30, 0.18, 0.07),
                0.35,
                requires=f"knowledge_{s}",
            ),
        )
    ),
    *(Item(q, SCALE_1_5, (0.12, 0.25, 0.33, 0.22, 0.08), 0.75) for q in RC_DIMENSIONS),
)
SOCIAL_WORKER_ITEMS: tuple[Item, ...] = (
    Item("relationship_gp", SCALE_1_5, (0.12, 0.28, 0.32, 0.20, 0.08), 0.8),
    Item("judge_better", ("social_worker", "gp", "equally"), (0.60, 0.08, 0.32), 0.4),
    Item("want_closer_links", YES_NO, (0.85, 0.15), 0.2),
    *(Item(q, SCALE_1_5, (0.10, 0.25, 0.35, 0.22, 0.08), 0.7) for q in RC_DIMENSIONS),
)
#: Older people: shares (no latent score); "after family, most turn to their GP".
TURN_TO_FIRST = (0.55, 0.22, 0.10, 0.05, 0.08)
TURN_TO_SECOND = (0.25, 0.40, 0.20, 0.08, 0.07)
PLANNED_FUTURE_CARE_YES = 0.12
KNOWS_SERVICE_YES = {
    "telecare": 0.35,
    "exercise_classes": 0.45,
    "social_support": 0.50,
    "reablement": 0.30,
    "day_services": 0.55,
    "home_care": 0.70,
    "carers_support": 0.35,
    "falls_prevention": 0.30,
}
GP_RESPONSE_RATE = 0.45
SOCIAL_CARE_RESPONSE_RATE = 0.60
#: Wave-2 lift of targeted GPs' latent score (in standard deviations) per unit of effect.
LIFT_PER_EFFECT = 4.0


def wave1_share(instrument: str, question: str, answers: Iterable[str]) -> float:
    """The share of wave-1 answers the generator aims to give ``answers`` (rounded to 0.001).

    Older people's first choice comes from ``TURN_TO_FIRST``; staff questions
    from their ``Item``. Raises ``KeyError`` for a question the generator does
    not draw from a table of shares.
    """
    if (instrument, question) == ("older_person", "turn_to_first"):
        shares = dict(zip(TURN_TO, TURN_TO_FIRST, strict=True))
    else:
        items = {"gp": GP_ITEMS, "social_worker": SOCIAL_WORKER_ITEMS}[instrument]
        by_id = {item.question_id: item for item in items}
        shares = dict(zip(by_id[question].answers, by_id[question].shares, strict=True))
    return round(sum(shares[answer] for answer in answers), 3)
