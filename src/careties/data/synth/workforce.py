"""Professionals, and the planted truth about them: who over-refers and why.

The story the generator plants (and ``truth`` records) is the Home Truths one:
some GPs send far more older patients into residential care than their lists
predict, and those same GPs have weaker ties to adult social care. Over-referrers
cluster in a minority of practices (a practice's culture is shared), which is
what lets a council target a quarter of its GPs and reach most of the excess.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from careties.data.synth.geography import Geography, _allocate
from careties.data.synth.ids import prefixed
from careties.data.synth.scales import Scale

#: Share of GPs planted as over-referrers: the top quartile the programme targets,
#: so that a 25% target set can recover them with both precision and recall.
OVER_REFERRER_SHARE = 0.25
#: Range of their residential admission propensity (x the baseline GP's).
OVER_REFERRER_MULTIPLIER = (3.5, 4.5)
TEAM_AREAS = ("NORTH", "SOUTH", "EAST", "WEST", "CENTRAL", "COAST", "VALE")
SOCIAL_CARE_ROLES = ("social_worker", "occupational_therapist", "care_navigator")
SOCIAL_CARE_ROLE_SHARE = (0.55, 0.25, 0.20)
_ROLE_PREFIX = {"social_worker": "SW", "occupational_therapist": "OT", "care_navigator": "CN"}


@dataclass
class Workforce:
    """Everyone who refers, assesses or talks, with the latent traits that drive them."""

    professionals: pl.DataFrame
    gp_ids: np.ndarray
    gp_practice: np.ndarray
    #: Multiplier on the GP's community-route residential admissions.
    gp_propensity: np.ndarray
    gp_over: np.ndarray
    #: Latent strength of the GP's relationship with adult social care (higher is better).
    gp_relationship: np.ndarray
    team_codes: np.ndarray
    team_council: np.ndarray
    sc_ids: np.ndarray
    sc_team: np.ndarray
    sc_role: np.ndarray
    consultant_ids: np.ndarray
    consultant_council: np.ndarray
    practice_home_team: np.ndarray
    practice_weak_tie: np.ndarray
    practice_isolated: np.ndarray
    practice_targeted: np.ndarray
    gp_top_quartile: np.ndarray


def _gps_per_practice(list_total: np.ndarray, target: int) -> np.ndarray:
    """2 to 10 GPs per practice in proportion to list size, totalling about ``target``."""
    lo, hi = 100.0, 100_000.0
    for _ in range(60):
        per = (lo + hi) / 2
        n = np.clip(np.round(list_total / per), 2, 10)
        if n.sum() > target:
            lo = per
        else:
            hi = per
    return np.clip(np.round(list_total / hi), 2, 10).astype(np.int64)


def _choose(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """``k`` distinct indices drawn with probability proportional to ``weights``."""
    k = min(k, int((weights > 0).sum()))
    return np.sort(rng.choice(len(weights), size=k, replace=False, p=weights / weights.sum()))


def generate_workforce(scale: Scale, geo: Geography, rng: np.random.Generator) -> Workforce:
    """GPs per practice, social care teams per council, consultants per council, and the traits."""
    n_pr = len(geo.list_total)
    n_la = geo.local_authorities.height
    la_codes = geo.local_authorities["la_code"].to_numpy()
    practice_codes = geo.practices["practice_code"].to_numpy()

    per_practice = _gps_per_practice(geo.list_total, scale.gps)
    gp_practice = np.repeat(np.arange(n_pr), per_practice)
    n_gp = len(gp_practice)

    # Practice culture: over-referring GPs cluster in practices with a high risk score.
    practice_risk = rng.normal(0.0, 1.0, n_pr)
    gp_score = 3.0 * practice_risk[gp_practice] + rng.normal(0.0, 0.8, n_gp)
    n_over = max(1, round(OVER_REFERRER_SHARE * n_gp))
    gp_over = np.zeros(n_gp, dtype=bool)
    gp_over[np.argsort(-gp_score, kind="stable")[:n_over]] = True
    propensity = rng.lognormal(0.0, 0.12, n_gp)
    propensity[gp_over] = rng.uniform(*OVER_REFERRER_MULTIPLIER, gp_over.sum())

    # The programme works with the top quarter of GPs by propensity (the
    # over-referrers and the next highest); it targets the practices where the
    # over-referrers work, as a council acting on the ranking would.
    n_top = max(1, round(0.25 * n_gp))
    gp_top = np.zeros(n_gp, dtype=bool)
    gp_top[np.argsort(-propensity, kind="stable")[:n_top]] = True
    practice_targeted = np.bincount(gp_practice, weights=gp_over, minlength=n_pr) > 0

    # Isolated practices and weak ties, drawn mostly among high-risk practices.
    isolated_per_council = 1 if scale.n_practices < 20 else 3
    practice_isolated = np.zeros(n_pr, dtype=bool)
    practice_weak = np.zeros(n_pr, dtype=bool)
    risk_weight = np.exp(practice_risk)
    for c in range(n_la):
        members = np.flatnonzero(geo.practice_council == c)
        chosen = members[_choose(rng, risk_weight[members], isolated_per_council)]
        practice_isolated[chosen] = True
        rest = members[~practice_isolated[members]]
        n_weak = max(1, round(0.15 * len(members)))
        practice_weak[rest[_choose(rng, risk_weight[rest], n_weak)]] = True

    practice_relationship = -0.3 * practice_risk + rng.normal(0.0, 0.4, n_pr)
    practice_relationship -= 1.0 * (practice_weak | practice_isolated)
    gp_relationship = (
        practice_relationship[gp_practice] - 1.2 * gp_over + rng.normal(0.0, 0.6, n_gp)
    )

    # Social care teams.
    n_teams = scale.teams_per_council
    team_council = np.repeat(np.arange(n_la), n_teams)
    areas = np.tile(np.asarray(TEAM_AREAS[:n_teams]), n_la)
    if n_la == 1:
        team_codes = np.array([f"ASC-{a}" for a in areas])
    else:
        team_codes = np.array(
            [f"ASC-{la_codes[c]}-{a}" for c, a in zip(team_council, areas, strict=True)]
        )
    council_65 = np.bincount(geo.practice_council, weights=geo.list_65_plus, minlength=n_la)

    staff_per_council = _allocate(
        scale.social_care_staff, council_65, minimum=min(3 * n_teams, scale.social_care_staff)
    )
    sc_council = np.repeat(np.arange(n_la), staff_per_council)
    within = np.concatenate([np.arange(k) for k in staff_per_council])
    sc_team = sc_council * n_teams + within % n_teams
    sc_role = rng.choice(len(SOCIAL_CARE_ROLES), size=len(sc_team), p=SOCIAL_CARE_ROLE_SHARE)
    # Every team has at least one social worker.
    sc_role[within < n_teams] = 0
    sc_ids = np.empty(len(sc_team), dtype=object)
    for r, role in enumerate(SOCIAL_CARE_ROLES):
        mask = sc_role == r
        sc_ids[mask] = prefixed(_ROLE_PREFIX[role], np.arange(1, mask.sum() + 1), 5).to_numpy()

    # Each practice works with one home team of its council.
    home_team = np.empty(n_pr, dtype=np.int64)
    for c in range(n_la):
        members = np.flatnonzero(geo.practice_council == c)
        order = rng.permutation(len(members))
        home_team[members[order]] = c * n_teams + np.arange(len(members)) % n_teams

    consultant_council = np.repeat(np.arange(n_la), scale.consultants_per_council)
    consultant_ids = prefixed("HC", np.arange(1, len(consultant_council) + 1), 5).to_numpy()
    trust = np.array([f"R{chr(65 + c // 26 % 26)}{chr(65 + c % 26)}" for c in range(n_la)])

    gp_ids = prefixed("GP", np.arange(1, n_gp + 1), 5).to_numpy()
    professionals = pl.DataFrame(
        {
            "professional_id": np.concatenate([gp_ids, sc_ids, consultant_ids]).astype(str),
            "role": np.concatenate(
                [
                    np.full(n_gp, "gp", dtype=object),
                    np.asarray(SOCIAL_CARE_ROLES, dtype=object)[sc_role],
                    np.full(len(consultant_ids), "hospital_consultant", dtype=object),
                ]
            ).astype(str),
            "organisation": np.concatenate(
                [practice_codes[gp_practice], team_codes[sc_team], trust[consultant_council]]
            ).astype(str),
            "la_code": np.concatenate(
                [
                    la_codes[geo.practice_council[gp_practice]],
                    la_codes[sc_council],
                    la_codes[consultant_council],
                ]
            ).astype(str),
        },
        schema={
            "professional_id": pl.String,
            "role": pl.String,
            "organisation": pl.String,
            "la_code": pl.String,
        },
    )
    professionals = professionals.with_columns(
        display_name=pl.Series(
            [*gp_display_names(n_gp), *[None] * (professionals.height - n_gp)], dtype=pl.String
        )
    )
    return Workforce(
        professionals=professionals,
        gp_ids=gp_ids,
        gp_practice=gp_practice,
        gp_propensity=propensity,
        gp_over=gp_over,
        gp_relationship=gp_relationship,
        team_codes=team_codes,
        team_council=team_council,
        sc_ids=sc_ids.astype(str),
        sc_team=sc_team,
        sc_role=sc_role,
        consultant_ids=consultant_ids,
        consultant_council=consultant_council,
        practice_home_team=home_team,
        practice_weak_tie=practice_weak,
        practice_isolated=practice_isolated,
        practice_targeted=practice_targeted,
        gp_top_quartile=gp_top,
    )


#: Surnames for synthetic GPs' display names: common in England, none a real GP's record.
GP_SURNAMES = (
    "Shah", "Smith", "Okafor", "Jones", "Patel", "Williams", "Khan", "Brown", "Taylor",
    "Nguyen", "Davies", "Ahmed", "Evans", "Wilson", "Hughes", "Begum", "Green", "Ali",
    "Walker", "Chen", "Wright", "Roberts", "Hussain", "Clarke", "Mensah", "Lewis",
    "Kaur", "Hall", "Wood", "Singh", "Edwards", "Turner", "Mahmood", "Hill", "Moore",
    "Cooper", "Ward", "Morris", "Adeyemi", "King", "Baker", "Harris", "Young",
)  # fmt: skip


def gp_display_names(n_gp: int) -> list[str | None]:
    """Display names for the synthetic GPs, drawn by rule (no random draws, so the
    planted truths are unchanged): "Dr A Shah", ...; every seventh GP is left
    blank, as a council's file may leave some, so pages show that GP's id."""
    names: list[str | None] = []
    for i in range(n_gp):
        initial = chr(ord("A") + (i * 7) % 26)
        surname = GP_SURNAMES[(i * 11) % len(GP_SURNAMES)]
        names.append(None if i % 7 == 6 else f"Dr {initial} {surname}")
    return names
