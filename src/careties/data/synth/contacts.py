"""Contacts between professionals: the raw material of the professional network.

Ties are drawn as dyads (pairs of professionals) with a yearly rate, then
Poisson counts per period, all vectorised. Most contact stays within an agency
(GPs in a practice, staff in a team); cross-agency GP-social care contact runs
through each practice's home team at a rate that rises with the GP's latent
relationship. Planted: weak ties (a practice and its home team barely talk),
isolated practices (no contact with any social care staff in the last twelve
months of data), fewer contacts for over-referring GPs, and more contact with
targeted practices once the programme starts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from careties.data.synth.geography import Geography
from careties.data.synth.ids import as_dates, day_number, lookup, prefixed
from careties.data.synth.scales import Scale
from careties.data.synth.workforce import Workforce

CHANNELS = ("meeting", "phone", "email", "joint_visit", "multidisciplinary_meeting", "training")
PURPOSES = ("case_discussion", "referral", "sign_posting", "training", "other")
#: Minutes (low, high) by channel.
MINUTES = ((30, 60), (5, 20), (5, 15), (60, 120), (45, 90), (60, 180))

GP_GP, SC_SC, GP_SC, GP_HC, SC_HC = range(5)
#: Contacts a year per dyad by kind (GP-SC is scaled by the GP's relationship).
DYAD_RATE = (4.0, 1.8, 2.2, 0.8, 1.5)
CHANNEL_MIX = (
    (0.40, 0.20, 0.30, 0.00, 0.10, 0.00),
    (0.35, 0.25, 0.30, 0.10, 0.00, 0.00),
    (0.05, 0.40, 0.30, 0.10, 0.15, 0.00),
    (0.00, 0.40, 0.50, 0.00, 0.10, 0.00),
    (0.05, 0.40, 0.35, 0.00, 0.20, 0.00),
)
PURPOSE_MIX = (
    (0.60, 0.00, 0.05, 0.05, 0.30),
    (0.60, 0.05, 0.10, 0.05, 0.20),
    (0.40, 0.35, 0.20, 0.00, 0.05),
    (0.50, 0.40, 0.00, 0.00, 0.10),
    (0.60, 0.30, 0.00, 0.00, 0.10),
)
#: GP-social care contact per year between a weak-tie practice's GPs and their team.
WEAK_TIE_FACTOR = 0.05
SOCIAL_CARE_CONTACTS_PER_GP = 3


@dataclass
class Contacts:
    frame: pl.DataFrame
    last_12_months_start: dt.date
    programme_contact_multiplier: float


def _pairs_within(groups: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """All unordered pairs of members within each group (members listed by ``groups``)."""
    order = np.argsort(groups, kind="stable")
    sizes = np.bincount(groups, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    a_parts, b_parts = [], []
    for size in np.unique(sizes[sizes > 1]):
        which = np.flatnonzero(sizes == size)
        i, j = np.triu_indices(size, k=1)
        a_parts.append((starts[which][:, None] + i[None, :]).reshape(-1))
        b_parts.append((starts[which][:, None] + j[None, :]).reshape(-1))
    if not a_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return order[np.concatenate(a_parts)], order[np.concatenate(b_parts)]


def generate_contacts(
    scale: Scale, geo: Geography, wf: Workforce, rng: np.random.Generator, programme_effect: float
) -> Contacts:
    """Dyads, their rates per period, then one row per contact."""
    n_gp, n_sc = len(wf.gp_ids), len(wf.sc_ids)
    sc_offset, hc_offset = n_gp, n_gp + n_sc
    ids = [*wf.gp_ids.tolist(), *wf.sc_ids.tolist(), *wf.consultant_ids.tolist()]

    a1, b1 = _pairs_within(wf.gp_practice, len(geo.list_total))
    a2, b2 = _pairs_within(wf.sc_team, len(wf.team_codes))
    # Each GP talks to a few staff of the practice's home team.
    team = wf.practice_home_team[wf.gp_practice]
    team_size = np.bincount(wf.sc_team, minlength=len(wf.team_codes))
    team_start = np.concatenate([[0], np.cumsum(team_size)[:-1]])
    sc_by_team = np.argsort(wf.sc_team, kind="stable")
    k = SOCIAL_CARE_CONTACTS_PER_GP
    pick = np.floor(rng.random((n_gp, k)) * team_size[team][:, None]).astype(np.int64)
    a3 = np.repeat(np.arange(n_gp), k)
    b3 = sc_by_team[(team_start[team][:, None] + pick).reshape(-1)]
    # GPs and social care staff with their council's hospital consultants.
    council_of_gp = geo.practice_council[wf.gp_practice]
    council_of_sc = wf.team_council[wf.sc_team]
    per_council = np.bincount(wf.consultant_council, minlength=geo.local_authorities.height)
    first = np.concatenate([[0], np.cumsum(per_council)[:-1]])
    a4 = np.arange(n_gp)
    b4 = first[council_of_gp] + np.floor(rng.random(n_gp) * per_council[council_of_gp]).astype(
        np.int64
    )
    a5 = np.repeat(np.arange(n_sc), 2)
    b5 = first[council_of_sc].repeat(2) + np.floor(
        rng.random(2 * n_sc) * per_council[council_of_sc].repeat(2)
    ).astype(np.int64)

    a = np.concatenate([a1, sc_offset + a2, a3, a4, sc_offset + a5])
    b = np.concatenate([b1, sc_offset + b2, sc_offset + b3, hc_offset + b4, hc_offset + b5])
    kind = np.concatenate(
        [
            np.full(len(a1), GP_GP),
            np.full(len(a2), SC_SC),
            np.full(len(a3), GP_SC),
            np.full(len(a4), GP_HC),
            np.full(len(a5), SC_HC),
        ]
    )
    rate = np.asarray(DYAD_RATE)[kind] * rng.lognormal(-0.125, 0.5, len(a))
    # Staff in a big team each talk to about as many colleagues as in a small one.
    team_pairs = kind == SC_SC
    rate[team_pairs] *= 11.0 / np.maximum(team_size[wf.sc_team[a2]] - 1, 1)
    cross = kind == GP_SC
    gp_of_cross = a3
    relationship = np.exp(0.6 * wf.gp_relationship[gp_of_cross])
    relationship = relationship / relationship.mean()
    rate[cross] *= relationship * np.where(wf.gp_over[gp_of_cross], 0.5, 1.0)
    practice_of_cross = wf.gp_practice[gp_of_cross]
    rate[cross] *= np.where(wf.practice_weak_tie[practice_of_cross], WEAK_TIE_FACTOR, 1.0)
    isolated = np.zeros(len(a), dtype=bool)
    isolated[cross] = wf.practice_isolated[practice_of_cross]
    targeted = np.zeros(len(a), dtype=bool)
    targeted[cross] = wf.practice_targeted[practice_of_cross]

    start, end = day_number(scale.data_start), day_number(scale.data_end) + 1
    last12 = (
        day_number(dt.date(scale.data_end.year - 1, scale.data_end.month, scale.data_end.day)) + 1
    )
    programme = day_number(scale.programme_start)
    cuts = sorted({start, end} | {d for d in (last12, programme) if start < d < end})
    multiplier = 1.0 - 2.0 * programme_effect if programme_effect < 0 else 1.0
    frames_a, frames_b, frames_kind, frames_day = [], [], [], []
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        lam = rate * (hi - lo) / 365.25
        lam = np.where(targeted & (lo >= programme), lam * multiplier, lam)
        # Isolated practices: a little contact long ago, none in the last twelve months.
        lam = np.where(isolated, 0.0 if lo >= last12 else lam * 0.2, lam)
        counts = rng.poisson(lam)
        idx = np.repeat(np.arange(len(a)), counts)
        day = lo + np.floor(rng.random(len(idx)) * (hi - lo)).astype(np.int64)
        # Professionals work weekdays: move Saturday back to Friday, Sunday on to Monday.
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
        day = np.where(weekday == 5, day - 1, np.where(weekday == 6, day + 1, day))
        day = np.clip(day, lo, hi - 1)
        frames_a.append(a[idx])
        frames_b.append(b[idx])
        frames_kind.append(kind[idx])
        frames_day.append(day)
    ca, cb = np.concatenate(frames_a), np.concatenate(frames_b)
    ckind, cday = np.concatenate(frames_kind), np.concatenate(frames_day)
    swap = rng.random(len(ca)) < 0.5
    src, dst = np.where(swap, cb, ca), np.where(swap, ca, cb)

    channel = np.empty(len(ca), dtype=np.int64)
    purpose = np.empty(len(ca), dtype=np.int64)
    for k_ in range(len(DYAD_RATE)):
        mask = ckind == k_
        channel[mask] = rng.choice(
            len(CHANNELS), mask.sum(), p=np.asarray(CHANNEL_MIX[k_]) / sum(CHANNEL_MIX[k_])
        )
        purpose[mask] = rng.choice(
            len(PURPOSES), mask.sum(), p=np.asarray(PURPOSE_MIX[k_]) / sum(PURPOSE_MIX[k_])
        )
    lo_min = np.asarray([m[0] for m in MINUTES])[channel]
    hi_min = np.asarray([m[1] for m in MINUTES])[channel]
    minutes = lo_min + np.floor(rng.random(len(ca)) * (hi_min - lo_min + 1)).astype(np.int64)
    minutes = (np.round(minutes / 5) * 5).astype(np.int64)

    order = np.lexsort((dst, src, cday))
    frame = pl.DataFrame(
        [
            prefixed("CT", np.arange(1, len(order) + 1), 8).alias("contact_reference"),
            as_dates(cday[order], "contact_date"),
            lookup(ids, src[order], "from_professional"),
            lookup(ids, dst[order], "to_professional"),
            lookup(list(CHANNELS), channel[order], "channel"),
            lookup(list(PURPOSES), purpose[order], "purpose"),
            pl.Series("minutes", minutes[order], dtype=pl.Int64),
        ]
    )
    last12_date = dt.date(1970, 1, 1) + dt.timedelta(days=int(last12))
    return Contacts(
        frame=frame, last_12_months_start=last12_date, programme_contact_multiplier=multiplier
    )
