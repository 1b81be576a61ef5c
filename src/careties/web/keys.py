"""The secrets careties needs, and when the public development ones may stand in.

Three keys protect the data: ``SECRET_KEY`` (sessions, CSRF), the
pseudonymisation key (person tokens: under a public key they can be reversed
by hashing every NHS number) and the backup key (HMAC over a backup's
manifest: without a secret key anyone who can edit a backup can recompute its
checksums). Development stand-ins exist so the synthetic demo and the tests run
without set-up; they are used only for data marked as test data
(``CARETIES_TEST_DATA=1``, the test settings, or the demo itself), never
silently.
"""

from __future__ import annotations

import os

from django.conf import settings

from careties.data.pseudonymise import ENV_VAR, is_default_key

BACKUP_KEY_VAR = "CARETIES_BACKUP_KEY"
TEST_DATA_VAR = "CARETIES_TEST_DATA"
#: Minimum lengths the production settings enforce and their messages state.
MIN_SECRET_KEY = 50
MIN_PSEUDONYMISATION_KEY = 32
MIN_BACKUP_KEY = 32

DEVELOPMENT_BACKUP_KEY = b"careties-development-backup-key-not-for-real-data"


class MissingKey(Exception):
    """A key is missing or too weak for what was asked; the message says what to set."""


def test_data_allowed() -> bool:
    """Whether development keys may be used: test settings, or the test-data flag."""
    return bool(getattr(settings, "CARETIES_TEST_DATA", False)) or (
        os.environ.get(TEST_DATA_VAR, "") == "1"
    )


def backup_key() -> tuple[bytes, str]:
    """The key that signs and checks backups, and its name for the manifest."""
    value = os.environ.get(BACKUP_KEY_VAR, "")
    if value:
        if len(value) < MIN_BACKUP_KEY:
            raise MissingKey(
                f"{BACKUP_KEY_VAR} is too short: set a random value of {MIN_BACKUP_KEY}+ characters."
            )
        return value.encode("utf-8"), "environment"
    if test_data_allowed():
        return DEVELOPMENT_BACKUP_KEY, "development"
    raise MissingKey(
        f"{BACKUP_KEY_VAR} is not set: backups are signed with it (HMAC-SHA256). Set a random "
        f"value of {MIN_BACKUP_KEY}+ characters, the same on the server that restores, or set "
        f"{TEST_DATA_VAR}=1 if this store holds only synthetic test data."
    )


def check_pseudonymisation_key(test_data: bool = False) -> None:
    """Refuse the public development key unless the data is test data."""
    if is_default_key() and not (test_data or test_data_allowed()):
        raise MissingKey(
            f"{ENV_VAR} is not set, so person identifiers would be hashed with the public "
            f"development key. Set a secret key of {MIN_PSEUDONYMISATION_KEY}+ characters "
            f"(the same for every import), or pass --test-data / set {TEST_DATA_VAR}=1 for "
            "synthetic data."
        )


def production_problems(environ: dict[str, str] | None = None) -> list[str]:
    """What stops production settings from starting, one message per key."""
    env = os.environ if environ is None else environ
    # Only this check reads the settings file's default; importing it at the top would
    # run the settings module wherever a key is checked.
    from careties.web.settings.base import DEFAULT_SECRET_KEY

    problems = []
    secret = env.get("SECRET_KEY", "")
    if not secret or secret == DEFAULT_SECRET_KEY or len(secret) < MIN_SECRET_KEY:
        problems.append(
            f"SECRET_KEY is the development default or too short: set a random value of "
            f"{MIN_SECRET_KEY}+ characters."
        )
    pseudo = env.get("CARETIES_PSEUDONYMISATION_KEY", "").strip()
    if len(pseudo) < MIN_PSEUDONYMISATION_KEY:
        problems.append(
            "CARETIES_PSEUDONYMISATION_KEY is not set or too short: set a secret key of "
            f"{MIN_PSEUDONYMISATION_KEY}+ characters."
        )
    backup = env.get(BACKUP_KEY_VAR, "")
    if len(backup) < MIN_BACKUP_KEY:
        problems.append(
            f"{BACKUP_KEY_VAR} is not set or too short: set a random value of "
            f"{MIN_BACKUP_KEY}+ characters."
        )
    if env.get(TEST_DATA_VAR, "") == "1":
        problems.append(f"{TEST_DATA_VAR}=1 marks a test store: unset it in production.")
    return problems
