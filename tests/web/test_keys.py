"""Keys: no silent development pseudonymisation key; production checks every key's length."""

from __future__ import annotations

import pytest

from careties.web.keys import MissingKey, check_pseudonymisation_key, production_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_store(settings, monkeypatch):
    settings.CARETIES_TEST_DATA = False
    monkeypatch.delenv("CARETIES_TEST_DATA", raising=False)
    monkeypatch.delenv("CARETIES_PSEUDONYMISATION_KEY", raising=False)


def _events(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "event_reference,person_id,age,la_code,event_type,start_date\n"
        "EV1,P1,80,E06000001,request,2024-05-01\n"
    )
    return path


def test_importing_person_identifiers_without_a_key_is_refused(real_store, tmp_path, capsys):
    from careties.cli import main
    from careties.web.store.models import CareEvent

    path = _events(tmp_path)
    assert main(["import", "events", str(path), "--la-code", "E06000001"]) == 1
    err = capsys.readouterr().err
    assert "CARETIES_PSEUDONYMISATION_KEY is not set" in err and "--test-data" in err
    assert CareEvent.objects.count() == 0
    with pytest.raises(MissingKey):
        check_pseudonymisation_key()
    check_pseudonymisation_key(test_data=True)  # the demo's synthetic data may use it


def test_a_configured_key_is_used_without_a_flag(real_store, monkeypatch):
    monkeypatch.setenv("CARETIES_PSEUDONYMISATION_KEY", "k" * 40)
    check_pseudonymisation_key()


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"SECRET_KEY": "s" * 40}, "SECRET_KEY"),  # the message says 50+: 40 is refused
        ({"CARETIES_PSEUDONYMISATION_KEY": "p" * 20}, "CARETIES_PSEUDONYMISATION_KEY"),
        ({"CARETIES_BACKUP_KEY": "b" * 31}, "CARETIES_BACKUP_KEY"),
        ({"CARETIES_TEST_DATA": "1"}, "CARETIES_TEST_DATA"),
    ],
)
def test_production_checks_each_key_against_the_length_its_message_states(environ, expected):
    good = {
        "SECRET_KEY": "s" * 60,
        "CARETIES_PSEUDONYMISATION_KEY": "p" * 40,
        "CARETIES_BACKUP_KEY": "b" * 40,
    }
    assert production_problems(good) == []
    problems = production_problems({**good, **environ})
    assert len(problems) == 1 and problems[0].startswith(expected)
