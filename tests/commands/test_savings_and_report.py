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


@pytest.mark.django_db
def test_savings_for_a_stored_council_uses_its_saved_unit_costs(capsys):
    """What the council lead saved in the browser, unless the command line says otherwise."""
    import datetime as dt

    from tests.web import dashboard_data

    from careties.web.programme.unit_costs import Entry, save_unit_costs

    code = dashboard_data.load("tiny")["la_code"]
    command = ["savings", "--council", code, "--json", "--runs", "0", "--avoided-per-gp", "1"]

    def per_person() -> tuple[float, float, list[str]]:
        assert main(command) == 0
        document = json.loads(capsys.readouterr().out)
        return (
            document["net_saving_per_person_gbp"],
            document["net_saving_per_person_per_year_gbp"],
            document["assumptions"],
        )

    # careties' defaults: (0.65 x 1,000 + 0.35 x 1,200 - 350) a week x 104 weeks.
    assert per_person()[:2] == (pytest.approx(74_880), pytest.approx(37_440))
    source = dict(source="Council ASC-FR 2024-25", url="", as_of=dt.date(2025, 6, 1))
    save_unit_costs(
        la_code=code,
        entries={
            "residential_weekly_cost_gbp": Entry(value=1_500.0, **source),
            "nursing_share": Entry(value=0.0, **source),
            "length_of_stay_weeks": Entry(value=52.0, **source),
            "community_weekly_cost_gbp": Entry(value=500.0, **source),
        },
        user=None,
    )
    stay, year, assumptions = per_person()
    # (1,500 - 500) a week for a 52-week stay: £52,000 a stay, which is also £52,000 a year.
    assert (stay, year) == (pytest.approx(52_000), pytest.approx(52_000))
    assert any("the council's own as saved in careties" in line for line in assumptions)
    command += ["--stay-weeks", "104"]
    assert per_person()[0] == pytest.approx(104_000)  # the command line still wins
