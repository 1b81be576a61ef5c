"""The synthetic council loaded into the test database, and one user per role."""

from __future__ import annotations

from functools import cache

from careties.web.accounts.models import Role

ROLES = (
    Role.SYSTEM_ADMIN,
    Role.COUNCIL_LEAD,
    Role.COUNCIL_ANALYST,
    Role.REGIONAL,
    Role.PRACTICE,
    Role.SOCIAL_WORKER,
)


@cache
def synthetic(scale: str = "tiny", seed: int = 0):
    from careties.data import synth

    return synth.generate(scale, seed=seed)


def load(scale: str = "tiny", seed: int = 0) -> dict:
    """Import every frame of the synthetic council; returns facts the tests use."""
    from careties.web.store.services import IMPORT_ORDER, import_frame

    data = synthetic(scale, seed)
    for kind in IMPORT_ORDER:
        if kind in data.frames:
            import_frame(kind=kind, frame=data.frames[kind], source=f"synthetic-{scale}-{kind}")
    practices = data.frames["practices"].sort("practice_code")["practice_code"].to_list()
    la_code = data.frames["local_authorities"]["la_code"][0]
    social_workers = data.frames["professionals"].filter(
        data.frames["professionals"]["role"] == "social_worker"
    )
    return {
        "la_code": la_code,
        "practice": practices[0],
        "other_practice": practices[1],
        "team": social_workers["organisation"].sort()[0],
    }


def users(facts: dict) -> dict[str, object]:
    """One user per role, scoped as ``careties demo`` scopes them."""
    from .factories import make_user

    la_code = facts["la_code"]
    scopes = {
        Role.SYSTEM_ADMIN: {"la_codes": [la_code]},
        Role.COUNCIL_LEAD: {"la_codes": [la_code]},
        Role.COUNCIL_ANALYST: {"la_codes": [la_code]},
        Role.REGIONAL: {"la_codes": [la_code]},
        Role.PRACTICE: {"la_codes": [la_code], "practice_code": facts["practice"]},
        Role.SOCIAL_WORKER: {"la_codes": [la_code], "team_code": facts["team"]},
    }
    made = {}
    for role in ROLES:
        user = make_user(f"user-{role}", role, **scopes[role])
        if role == Role.SYSTEM_ADMIN:
            user.is_superuser = True
            user.save()
        made[role] = user
    return made
