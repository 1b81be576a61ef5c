"""The ``roles`` survey: every role rates every role (its own included) on the seven dimensions.

Respondents: the council's GPs, social care staff and hospital consultants from the
synthetic workforce (by their pseudonymous ids), and practice nurses and managers (one of
each per practice), district nurses, reablement workers, the hospital discharge team and
care home managers (a fixed number per council, not in the roster, so no respondent id).
Planted: roles rate colleagues in their own agency higher than across it; GPs and social
workers rate each other lowest (the seeds' Home Truths finding), and wave 2 lifts that
pair in proportion to the programme effect. Its own random stream, derived from the
council codes, leaves every other synthetic file as it was.
"""

from __future__ import annotations

import zlib

import numpy as np
import polars as pl

from careties.data.codes import RC_DIMENSIONS, SURVEY_RATED_ROLES, SURVEY_RESPONDENT_ROLES
from careties.data.synth.geography import Geography
from careties.data.synth.scales import SURVEY_WAVES
from careties.data.synth.workforce import SOCIAL_CARE_ROLES, Workforce

RESPONDENT_ROLES = SURVEY_RESPONDENT_ROLES
RATED_ROLES = SURVEY_RATED_ROLES
AGENCY = {
    **dict.fromkeys(RESPONDENT_ROLES[:5] + ("district_nurse",), "health"),
    **dict.fromkeys(("social_worker", "occupational_therapist", "reablement_worker"), "social"),
    "care_home_manager": "care_home",
    "older_people_and_carers": "people",
}
#: Respondents per council for roles not in the synthetic roster.
PER_COUNCIL = {
    "hospital_discharge_team": 9,
    "reablement_worker": 10,
    "district_nurse": 10,
    "care_home_manager": 8,
}
#: Every role has at least this many people asked per council.
MIN_PER_ROLE = 10
RESPONSE_RATE = 0.8
#: Chance that a respondent works with (and so rates) a role outside their own agency.
RATES_ACROSS = 0.9
BASE, WITHIN_AGENCY, SAME_ROLE, GP_SOCIAL_WORK_GAP = 3.2, 0.35, 0.2, -0.6
LIFT_PER_EFFECT = 3.0


def _pair_mean(rater: str, rated: str, lift: float, wave: int) -> float:
    mean = BASE + (WITHIN_AGENCY if AGENCY[rater] == AGENCY[rated] else 0.0)
    mean += SAME_ROLE if rater == rated else 0.0
    if {rater, rated} == {"gp", "social_worker"}:
        mean += GP_SOCIAL_WORK_GAP + (lift if wave > 0 else 0.0)
    return mean


def _respondents(geo: Geography, wf: Workforce, la_index: int) -> list[tuple[str, str, str | None]]:
    """``(role, organisation, respondent_id)`` of everyone in one council who is asked."""
    la = geo.local_authorities["la_code"][la_index]
    practices = np.flatnonzero(geo.practice_council == la_index)
    codes = geo.practices["practice_code"].to_numpy()
    out: list[tuple[str, str, str | None]] = []
    for g in np.flatnonzero(np.isin(wf.gp_practice, practices)):
        out.append(("gp", codes[wf.gp_practice[g]], wf.gp_ids[g]))
    for p in practices:
        out += [("practice_nurse", codes[p], None), ("practice_manager", codes[p], None)]
    for s in np.flatnonzero(wf.team_council[wf.sc_team] == la_index):
        role = SOCIAL_CARE_ROLES[wf.sc_role[s]]
        if role in RESPONDENT_ROLES:
            out.append((role, wf.team_codes[wf.sc_team[s]], wf.sc_ids[s]))
    for c in np.flatnonzero(wf.consultant_council == la_index):
        out.append(("hospital_consultant", f"HOSP-{la}", wf.consultant_ids[c]))
    organisation = {
        "hospital_discharge_team": f"HOSP-{la}",
        "reablement_worker": f"REABLE-{la}",
        "district_nurse": f"CHS-{la}",
        "care_home_manager": f"CAREHOMES-{la}",
    }
    for role, n in PER_COUNCIL.items():
        out += [(role, organisation[role], None)] * n
    # Top up roles the roster has few of (small councils), so every cell can pass the floor.
    have = {role: sum(1 for r, _, _ in out if r == role) for role in RESPONDENT_ROLES}
    home = {"gp": codes[practices[0]], "practice_nurse": codes[practices[0]]}
    for role in RESPONDENT_ROLES:
        where = next((o for r, o, _ in out if r == role), home.get(role, f"HOSP-{la}"))
        out += [(role, where, None)] * max(0, MIN_PER_ROLE - have[role])
    return out


def _name_pools(geo: Geography, wf: Workforce) -> dict[str, dict[str, list[str]]]:
    """Whom each practice's GPs and each team's staff can name: the practice's home team's
    social care staff, and the GPs of the practices a team serves."""
    codes = geo.practices["practice_code"].to_numpy()
    team_staff: dict[str, list[str]] = {}
    for s, t in enumerate(wf.sc_team):
        team_staff.setdefault(str(wf.team_codes[t]), []).append(str(wf.sc_ids[s]))
    practice_gps: dict[str, list[str]] = {}
    for g, p in enumerate(wf.gp_practice):
        practice_gps.setdefault(str(codes[p]), []).append(str(wf.gp_ids[g]))
    for_practice = {
        str(codes[p]): team_staff.get(str(wf.team_codes[t]), [])
        for p, t in enumerate(wf.practice_home_team)
    }
    for_team: dict[str, list[str]] = {}
    for p, t in enumerate(wf.practice_home_team):
        for_team.setdefault(str(wf.team_codes[t]), []).extend(practice_gps.get(str(codes[p]), []))
    return {"named_social_care": for_practice, "named_gp": for_team}


def _named(
    role: str, organisation: str, pools: dict, rng: np.random.Generator
) -> list[tuple[str, str]]:
    """The network question a roster respondent answers: up to three people named."""
    question = (
        "named_social_care" if role == "gp" else "named_gp" if AGENCY[role] == "social" else None
    )
    candidates = pools.get(question, {}).get(organisation, []) if question else []
    k = min(len(candidates), int(rng.integers(0, 4)))
    if k == 0:
        return []
    chosen = rng.choice(candidates, size=k, replace=False)
    return [(question, ";".join(sorted(str(c) for c in chosen)))]


def generate_role_survey(geo: Geography, wf: Workforce, programme_effect: float) -> pl.DataFrame:
    """Both waves of the roles survey, long format (the ``survey_responses`` shape)."""
    la_codes = geo.local_authorities["la_code"].to_list()
    rng = np.random.default_rng([zlib.crc32(",".join(la_codes).encode()), 18])
    lift = max(0.0, -programme_effect) * LIFT_PER_EFFECT
    rows: dict[str, list] = {k: [] for k in ("response_id", "wave", "la_code", "organisation")}
    rows |= {"respondent_id": [], "question_id": [], "answer": []}
    count = 0
    pools = _name_pools(geo, wf)
    for w, (wave, _) in enumerate(SURVEY_WAVES):
        for c, la in enumerate(la_codes):
            for role, organisation, person in _respondents(geo, wf, c):
                if rng.random() >= RESPONSE_RATE:
                    continue
                count += 1
                answers = [("own_role", role)]
                warmth = rng.normal(0.0, 0.45)
                for rated in RATED_ROLES:
                    if AGENCY[rated] != AGENCY[role] and rng.random() >= RATES_ACROSS:
                        continue
                    mean = _pair_mean(role, rated, lift, w) + warmth
                    values = np.clip(np.rint(mean + rng.normal(0.0, 0.6, 7)), 1, 5)
                    answers += [
                        (f"{d}__{rated}", str(int(v)))
                        for d, v in zip(RC_DIMENSIONS, values, strict=True)
                    ]
                if person is not None:
                    answers += _named(role, organisation, pools, rng)
                response_id = f"{wave}-R{count:07d}"
                for question, answer in answers:
                    rows["response_id"].append(response_id)
                    rows["wave"].append(wave)
                    rows["la_code"].append(la)
                    rows["organisation"].append(organisation)
                    rows["respondent_id"].append(person)
                    rows["question_id"].append(question)
                    rows["answer"].append(answer)
    frame = pl.DataFrame(rows, schema={k: pl.String for k in rows})
    return frame.with_columns(instrument=pl.lit("roles")).select(
        "response_id", "wave", "instrument", "la_code", "organisation", "respondent_id",
        "question_id", "answer",
    )  # fmt: skip
