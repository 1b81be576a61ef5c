"""Survey responses: GPs, social care staff and older people, two waves.

Answers come from a latent relationship score per respondent, cut at thresholds
chosen so that wave 1 reproduces the Home Truths interim evaluation (INLOGOV,
2013): over half of GPs rate their relationship with adult social care poor,
41% think they judge better than a social worker, half know nothing of
telecare, a third nothing of exercise classes or social support, 92% want
closer links, 76% could be helped to intervene earlier, a third think some
patients were admitted too early; older people turn to family first, then
their GP. Over-referring GPs sit low on the latent score, so they answer worse.
Wave 2 keeps wave 1's thresholds and lifts targeted practices' GPs (and the
teams that work with them) in proportion to the planted programme effect.

The question ids are a contract with the survey instruments
(``careties/relations/surveys/definitions/*.v1.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from careties.data.codes import RC_DIMENSIONS
from careties.data.contracts.survey_responses import RESPONDENT_COLUMNS
from careties.data.synth.geography import Geography
from careties.data.synth.ids import lookup, ordinal_cuts
from careties.data.synth.scales import SURVEY_WAVES, Scale
from careties.data.synth.survey_calibration import calibration
from careties.data.synth.survey_parameters import (
    GP_ITEMS,
    GP_RESPONSE_RATE,
    KNOWLEDGE_SERVICES,
    KNOWS_SERVICE_YES,
    LIFT_PER_EFFECT,
    PLANNED_FUTURE_CARE_YES,
    SOCIAL_CARE_RESPONSE_RATE,
    SOCIAL_WORKER_ITEMS,
    TURN_TO,
    TURN_TO_FIRST,
    TURN_TO_SECOND,
    YES_NO,
    Item,
)
from careties.data.synth.survey_roles import RATED_ROLES, generate_role_survey
from careties.data.synth.workforce import Workforce

#: Every question id the generator answers, by instrument.
QUESTION_IDS: dict[str, tuple[str, ...]] = {
    "gp": (
        "relationship_asc",
        "judge_better",
        "want_closer_links",
        "help_intervene_earlier",
        "admitted_too_early",
        *(q for s in KNOWLEDGE_SERVICES for q in (f"knowledge_{s}", f"quality_{s}")),
        *RC_DIMENSIONS,
    ),
    "social_worker": ("relationship_gp", "judge_better", "want_closer_links", *RC_DIMENSIONS),
    "older_person": (
        "turn_to_first",
        "turn_to_second",
        "planned_future_care",
        *(f"knows_{s}" for s in KNOWLEDGE_SERVICES),
    ),
    "roles": (
        "own_role",
        *(f"{d}__{r}" for r in RATED_ROLES for d in RC_DIMENSIONS),
        "named_social_care",
        "named_gp",
    ),
}


@dataclass
class Surveys:
    frame: pl.DataFrame
    calibration: dict = field(default_factory=dict)


@dataclass
class _Respondents:
    """Per-respondent attributes; answers refer to them by position."""

    response_id: list[str]
    wave: list[str]
    instrument: list[str]
    la_code: list[str]
    organisation: list[str | None]
    respondent_id: list[str | None]


def _answer_items(
    items: tuple[Item, ...],
    latent_by_wave: list[np.ndarray],
    respond_by_wave: list[np.ndarray],
    first_response: list[int],
    rng: np.random.Generator,
) -> list[pl.DataFrame]:
    """Answers for every item and wave, calibrated on wave 1's whole population."""
    out = []
    cuts_by_item: dict[str, np.ndarray] = {}
    for w, (latent, respond, base) in enumerate(
        zip(latent_by_wave, respond_by_wave, first_response, strict=True)
    ):
        positions = base + np.arange(int(respond.sum()))
        chosen: dict[str, np.ndarray] = {}
        for order, item in enumerate(items):
            noise = rng.standard_normal(len(latent))
            score = item.loading * latent + np.sqrt(1 - item.loading**2) * noise
            if w == 0:
                # Calibrated on wave 1's respondents, so the published shares are met exactly.
                cuts_by_item[item.question_id] = ordinal_cuts(score[respond], list(item.shares))
            cuts = cuts_by_item[item.question_id]
            answer = np.searchsorted(cuts, score)[respond]
            chosen[item.question_id] = answer
            asked = (
                np.ones(len(answer), dtype=bool)
                if item.requires is None
                else chosen[item.requires] > 0
            )
            out.append(
                pl.DataFrame(
                    [
                        pl.Series("position", positions[asked], dtype=pl.Int64),
                        pl.Series("order", np.full(int(asked.sum()), order), dtype=pl.Int64),
                        lookup(list(item.answers), answer[asked], "answer"),
                        pl.Series(
                            "question_id", [item.question_id] * int(asked.sum()), dtype=pl.String
                        ),
                    ]
                )
            )
    return out


def _standardise(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / (x.std() or 1.0)


def generate_surveys(
    scale: Scale, geo: Geography, wf: Workforce, rng: np.random.Generator, programme_effect: float
) -> Surveys:
    """Two waves of the GP, social worker, older people's and roles surveys, in long format."""
    la_codes = geo.local_authorities["la_code"].to_numpy()
    practice_codes = geo.practices["practice_code"].to_numpy()
    lift = max(0.0, -programme_effect) * LIFT_PER_EFFECT
    respondents = _Respondents([], [], [], [], [], [])
    answers: list[pl.DataFrame] = []

    def register(wave: str, instrument: str, la: np.ndarray, organisation, person) -> int:
        base = len(respondents.response_id)
        prefix = {"gp": "G", "social_worker": "S", "older_person": "O"}[instrument]
        respondents.response_id.extend(f"{wave}-{prefix}{base + i + 1:07d}" for i in range(len(la)))
        respondents.wave.extend([wave] * len(la))
        respondents.instrument.extend([instrument] * len(la))
        respondents.la_code.extend(la.tolist())
        respondents.organisation.extend(list(organisation))
        respondents.respondent_id.extend(list(person))
        return base

    def staff_waves(
        instrument: str,
        items: tuple[Item, ...],
        latent: np.ndarray,
        later_lift: np.ndarray,
        response_rate: float,
        staff: tuple[np.ndarray, np.ndarray, np.ndarray],
    ) -> list[pl.DataFrame]:
        """Both waves of a staff survey; ``staff`` is each person's council, organisation, id.

        ``later_lift`` is added to the latent view from the second wave on,
        where the programme has worked.
        """
        council, organisation, ids = staff
        latents, responds, bases = [], [], []
        for w, (wave, _) in enumerate(SURVEY_WAVES):
            wave_latent = latent + (later_lift if w > 0 else 0.0)
            respond = rng.random(len(wave_latent)) < response_rate
            who = np.flatnonzero(respond)
            bases.append(register(wave, instrument, council[who], organisation[who], ids[who]))
            latents.append(wave_latent)
            responds.append(respond)
        return _answer_items(items, latents, responds, bases, rng)

    # GPs.
    gp_latent = _standardise(wf.gp_relationship)
    targeted_gp = wf.practice_targeted[wf.gp_practice]
    gp_staff = (
        la_codes[geo.practice_council[wf.gp_practice]],
        practice_codes[wf.gp_practice],
        wf.gp_ids,
    )
    answers += staff_waves(
        "gp", GP_ITEMS, gp_latent, lift * targeted_gp, GP_RESPONSE_RATE, gp_staff
    )

    # Social care staff: their view of GPs follows the GPs of the practices they serve.
    n_teams = len(wf.team_codes)
    team_gp = np.bincount(
        wf.practice_home_team[wf.gp_practice], weights=gp_latent, minlength=n_teams
    )
    team_n = np.maximum(np.bincount(wf.practice_home_team[wf.gp_practice], minlength=n_teams), 1)
    team_targeted = (
        np.bincount(
            wf.practice_home_team[wf.gp_practice],
            weights=targeted_gp.astype(float),
            minlength=n_teams,
        )
        / team_n
    )
    sc_latent = _standardise(
        0.6 * (team_gp / team_n)[wf.sc_team] + rng.normal(0.0, 0.8, len(wf.sc_ids))
    )
    sc_staff = (la_codes[wf.team_council[wf.sc_team]], wf.team_codes[wf.sc_team], wf.sc_ids)
    answers += staff_waves(
        "social_worker",
        SOCIAL_WORKER_ITEMS,
        sc_latent,
        lift * team_targeted[wf.sc_team],
        SOCIAL_CARE_RESPONSE_RATE,
        sc_staff,
    )

    # Older people: anonymous, no organisation.
    n_la = len(la_codes)
    for wave, _ in SURVEY_WAVES:
        n = scale.older_people_per_council * n_la
        base = register(
            wave,
            "older_person",
            np.repeat(la_codes, scale.older_people_per_council),
            [None] * n,
            [None] * n,
        )
        positions = base + np.arange(n)
        first = rng.choice(len(TURN_TO), n, p=TURN_TO_FIRST)
        weights = np.tile(np.asarray(TURN_TO_SECOND), (n, 1))
        weights[np.arange(n), first] = 0.0
        cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
        second = (rng.random(n)[:, None] > cumulative).sum(axis=1)
        second = np.minimum(second, len(TURN_TO) - 1)
        columns = [
            ("turn_to_first", TURN_TO, first),
            ("turn_to_second", TURN_TO, second),
            (
                "planned_future_care",
                YES_NO,
                (rng.random(n) >= PLANNED_FUTURE_CARE_YES).astype(np.int64),
            ),
        ]
        columns += [
            (f"knows_{s}", YES_NO, (rng.random(n) >= KNOWS_SERVICE_YES[s]).astype(np.int64))
            for s in KNOWLEDGE_SERVICES
        ]
        for order, (question, options, index) in enumerate(columns):
            answers.append(
                pl.DataFrame(
                    [
                        pl.Series("position", positions, dtype=pl.Int64),
                        pl.Series("order", np.full(n, order), dtype=pl.Int64),
                        lookup(list(options), index, "answer"),
                        pl.Series("question_id", [question] * n, dtype=pl.String),
                    ]
                )
            )

    long = pl.concat(answers).sort("position", "order")
    people = pl.DataFrame(
        {column: getattr(respondents, column) for column in RESPONDENT_COLUMNS},
        schema=dict.fromkeys(RESPONDENT_COLUMNS, pl.String),
    )
    index = long["position"]
    frame = pl.concat(
        [people.select(pl.all().gather(index)), long.select("question_id", "answer")],
        how="horizontal",
    )
    # Every role rating every role (their own included): its own random stream.
    frame = pl.concat([frame, generate_role_survey(geo, wf, programme_effect)])
    return Surveys(frame=frame, calibration=calibration(frame))
