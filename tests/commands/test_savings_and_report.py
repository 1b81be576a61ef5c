"""The ``careties savings`` and ``careties report referrals`` commands."""

from __future__ import annotations

import json

import pytest

from careties.cli import main


def test_savings_preset_json(capsys):
    assert main(["savings", "--preset", "home-truths-2014", "--json", "--runs", "500"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["councils"] == 152
    assert document["gps_targeted_per_council"] == 52
    assert document["gps_targeted"] == 7_904
    assert document["people_per_year"] == pytest.approx(60_000)
    assert document["people_per_gp"] == pytest.approx(7.59, abs=0.01)
    assert round(document["net_saving_per_person_gbp"]) == 10_067
    assert document["net_saving_gbp"] == pytest.approx(604e6)
    assert document["monte_carlo"]["runs"] == 500


def test_savings_preset_text_shows_the_chain(capsys):
    assert main(["savings", "--preset", "home-truths-2014", "--runs", "0"]) == 0
    out = capsys.readouterr().out
    assert "152 councils x 52 GPs = 7,904" in out
    assert "7.59 (fewer than 8)" in out
    assert "£10,067" in out


def test_unknown_preset_is_a_clear_error(capsys):
    assert main(["savings", "--preset", "nope"]) == 1
    assert "home-truths-2014" in capsys.readouterr().err


@pytest.mark.slow
def test_savings_and_report_on_synthetic_council(capsys, tmp_path):
    assert main(["savings", "--synthetic", "--json", "--runs", "200"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["councils"] == 1
    assert document["gps_targeted"] == 50
    assert main(["report", "referrals", "--synthetic"]) == 0
    out = capsys.readouterr().out
    assert "ASCOF 2C" in out and "Target list: 50 of 200 GPs" in out
    assert main(["report", "referrals", "--synthetic", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert len(document["targeting"]) == 200
    assert document["ascof"][0]["measure"] == "ASCOF 2C"
    target = tmp_path / "referrals.xlsx"
    assert (
        main(["report", "referrals", "--synthetic", "--format", "xlsx", "--output", str(target)])
        == 0
    )
    assert target.exists()


def test_report_needs_a_council(capsys):
    assert main(["report", "referrals"]) == 1
    assert "--council" in capsys.readouterr().err
