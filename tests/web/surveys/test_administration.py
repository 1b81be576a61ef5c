"""Survey administration: invitations in bulk, letters with QR codes, live response rates,
the reminder list, closing and reopening a wave; every page checks the role."""

from __future__ import annotations

import polars as pl
import pytest
from tests.web.paths import url

from careties.web.store.models import AuditEntry, SurveyResponse
from careties.web.store.services import import_frame
from careties.web.surveys import administration, services
from careties.web.surveys.letters import qr_matrix
from careties.web.surveys.models import Invitation

from .helpers import COUNCIL, complete_answers, make_wave, user_for

pytestmark = pytest.mark.django_db

ALLOWED = ["admin", "lead", "analyst"]
DENIED = ["other_lead", "regional", "practice", "social_worker", "no_role"]
#: A wave's administration pages, by URL name.
ADMINISTRATION = ("surveys:invite", "surveys:letters", "surveys:rates", "surveys:reminders")


@pytest.fixture
def roster():
    rows = [(f"GP{i:03d}", "gp", "A81001" if i < 6 else "B82002", COUNCIL) for i in range(9)]
    rows += [(f"SW{i:03d}", "social_worker", "TEAM-N", COUNCIL) for i in range(4)]
    rows += [("OT001", "occupational_therapist", "TEAM-N", COUNCIL)]
    frame = pl.DataFrame(
        rows, schema=["professional_id", "role", "organisation", "la_code"], orient="row"
    )
    import_frame(kind="professionals", frame=frame, source="test roster")
    return frame


@pytest.fixture
def wave():
    return make_wave("roles", name="2025-R1")


def urls(wave) -> list[str]:
    return [url(name, pk=wave.pk) for name in ADMINISTRATION]


@pytest.mark.parametrize("role", ALLOWED)
def test_council_roles_open_every_administration_page(client, roster, wave, role):
    client.force_login(user_for(role))
    for page in urls(wave):
        assert client.get(page).status_code == 200, page


@pytest.mark.parametrize("role", DENIED)
def test_other_roles_are_refused(client, roster, wave, role):
    client.force_login(user_for(role))
    for page in urls(wave):
        assert client.get(page).status_code == 403, page
    for action in ("surveys:close", "surveys:reopen"):
        assert client.post(url(action, pk=wave.pk)).status_code == 403


def test_bulk_invitation_of_every_gp_and_social_worker_in_one_action(client, roster, wave):
    client.force_login(user_for("lead"))
    response = client.post(url("surveys:invite", pk=wave.pk), {"roles": ["gp", "social_worker"]})
    assert response.status_code == 302
    invited = Invitation.objects.filter(wave=wave)
    assert invited.count() == 13
    assert all(i.link.single_use and not i.link.used for i in invited)
    assert set(invited.values_list("organisation", flat=True)) == {"A81001", "B82002", "TEAM-N"}
    # Nobody is invited twice.
    client.post(url("surveys:invite", pk=wave.pk), {"roles": ["gp", "occupational_therapist"]})
    assert Invitation.objects.filter(wave=wave).count() == 14
    assert AuditEntry.objects.filter(what__icontains="personal links").exists()


def test_letters_are_one_pdf_page_per_person_with_a_qr_code(client, roster, wave):
    administration.invite(wave=wave, people=administration.roster(COUNCIL, roles=["gp"]), user=None)
    client.force_login(user_for("analyst"))
    response = client.get(url("surveys:letters", pk=wave.pk))
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 9
    # The QR code holds the link: a version-3+ symbol with its three finder patterns.
    token = Invitation.objects.filter(wave=wave).first().link.token
    # The link's format is the one printed on the letters: spelled out, not reversed.
    matrix = qr_matrix(f"http://testserver/s/{token}/")
    assert len(matrix) >= 29 + 8 and all(matrix[4][4:11]) and all(matrix[4][-11:-4])


def test_response_rates_rise_and_warn_below_the_floor(client, roster, wave):
    made = administration.invite(
        wave=wave,
        people=administration.roster(COUNCIL, roles=["gp", "social_worker"]),
        user=None,
    )
    rates = administration.response_rates(wave, "organisation", 5)
    a81 = rates.filter(pl.col("organisation") == "A81001").row(0, named=True)
    assert (a81["invited"], a81["answered"], a81["rate"]) == (6, 0, 0)
    assert "5 more answers needed" in a81["warning"]
    team = rates.filter(pl.col("organisation") == "TEAM-N").row(0, named=True)
    assert "always be hidden" in team["warning"]  # 4 social workers < floor 5
    for invitation in made[:5]:
        services.submit(link=invitation.link, answers=complete_answers("roles"))
    rates = administration.response_rates(wave, "organisation", 5)
    a81 = rates.filter(pl.col("organisation") == "A81001").row(0, named=True)
    assert (a81["answered"], a81["rate"], a81["warning"]) == (5, 83, "")
    by_role = administration.response_rates(wave, "role", 5)
    assert by_role.filter(pl.col("role") == "gp")["answered"].item() == 5
    # Personal links carry the pseudonymous id into the stored answers.
    assert set(SurveyResponse.objects.values_list("respondent_id", flat=True)) == {
        i.respondent_ref for i in made[:5]
    }
    client.force_login(user_for("lead"))
    html = client.get(url("surveys:rates", pk=wave.pk), HTTP_HX_REQUEST="true").content.decode()
    assert "5 of 13 answered" in html and 'hx-trigger="every 10s"' in html


def test_reminder_list_is_pseudonymous_to_all_but_the_council_lead(client, roster, wave):
    made = administration.invite(
        wave=wave, people=administration.roster(COUNCIL, roles=["gp"]), user=None
    )
    services.submit(link=made[0].link, answers=complete_answers("roles"))
    client.force_login(user_for("lead"))
    html = client.get(url("surveys:reminders", pk=wave.pk)).content.decode()
    assert made[1].respondent_ref in html and made[0].respondent_ref not in html
    client.force_login(user_for("analyst"))
    html = client.get(url("surveys:reminders", pk=wave.pk)).content.decode()
    assert "Person 1" in html and not any(m.respondent_ref in html for m in made)
    csv = client.get(url("surveys:reminders", pk=wave.pk, query={"format": "csv"})).content.decode()
    assert csv.count("\n") == 1 + 8 and "GP0" not in csv
    # Reminder letters go to those who have not answered, and count the reminder.
    client.get(url("surveys:letters", pk=wave.pk, query={"pending": "1"}))
    assert Invitation.objects.get(pk=made[1].pk).reminders == 1
    assert Invitation.objects.get(pk=made[0].pk).reminders == 0


def test_close_and_reopen(client, roster, wave):
    made = administration.invite(
        wave=wave, people=administration.roster(COUNCIL, roles=["gp"]), user=None
    )
    client.force_login(user_for("lead"))
    client.post(url("surveys:close", pk=wave.pk))
    with pytest.raises(services.LinkRefused) as refused:
        services.open_link(made[0].link.token)
    assert refused.value.reason == "closed"
    assert client.get(url("surveys:start", token=made[0].link.token)).status_code in (403, 410, 200)
    client.post(url("surveys:reopen", pk=wave.pk))
    assert services.open_link(made[0].link.token).pk == made[0].link.pk


def test_csv_lists_are_checked_row_by_row_and_nothing_is_half_made(client, roster, wave):
    client.force_login(user_for("lead"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = b"respondent_ref,role,organisation\nDr Jane Smith,gp,A81001\nX1,GP!,A81001\nX2,gp,A81001\nX2,gp,A81001\n"
    response = client.post(
        url("surveys:invite", pk=wave.pk),
        {"respondents": SimpleUploadedFile("list.csv", bad, content_type="text/csv")},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Row 2, column respondent_ref" in html and "Row 3, column role" in html
    assert "Row 5, column respondent_ref: X2 is listed twice" in html
    assert Invitation.objects.count() == 0
    good = b"respondent_ref,role,organisation\nDN01,district_nurse,CHS-NORTH\nCH01,care_home_manager,\n"
    client.post(
        url("surveys:invite", pk=wave.pk),
        {"respondents": SimpleUploadedFile("list.csv", good, content_type="text/csv")},
    )
    assert sorted(Invitation.objects.values_list("role", flat=True)) == [
        "care_home_manager",
        "district_nurse",
    ]


def test_network_question_offers_the_roster_and_its_names_become_ties(client, roster, wave):
    from careties.relations.network import build_network
    from careties.relations.surveys import load_instrument, named_ties
    from careties.web import selectors
    from careties.web.surveys.presenters import section_pages

    made = administration.invite(
        wave=wave, people=administration.roster(COUNCIL, roles=["gp"]), user=None
    )
    token = made[0].link.token
    pages = section_pages(load_instrument("roles"))
    number = next(p.number for p in pages if p.section.id == "network")
    html = client.get(url("surveys:section", token=token, number=number)).content.decode()
    assert "Who in adult social care do you go to about an older patient?" in html
    assert 'list="q-named_social_care-roster"' in html
    assert '<option value="SW000">' in html and '<option value="GP001">' in html
    # A name not on the roster is refused; names from the list are kept.
    response = client.post(
        url("surveys:section", token=token, number=number),
        {"named_social_care": ["SW000", "Nobody"], "action": "continue"},
    )
    assert "Pick each person from the list" in response.content.decode()
    client.post(
        url("surveys:section", token=token, number=number),
        {"named_social_care": ["SW000", "SW003", ""], "named_gp": ["GP004"], "action": "continue"},
    )
    client.post(
        url("surveys:section", token=token, number=1), {"own_role": "gp", "action": "continue"}
    )
    pages_total = len(pages)
    client.post(url("surveys:section", token=token, number=pages_total), {"action": "continue"})
    stored = dict(
        SurveyResponse.objects.filter(question_id__startswith="named_").values_list(
            "question_id", "answer"
        )
    )
    assert stored == {"named_social_care": "SW000;SW003", "named_gp": "GP004"}
    responses = selectors.load_frame("survey_responses", COUNCIL)
    ties = named_ties(responses, selectors.load_frame("professionals", COUNCIL))
    assert sorted(ties.select("from_professional", "to_professional").rows()) == [
        (made[0].respondent_ref, "GP004"),
        (made[0].respondent_ref, "SW000"),
        (made[0].respondent_ref, "SW003"),
    ]
    network = build_network(
        selectors.load_frame("professionals", COUNCIL),
        pl.DataFrame(
            schema={
                "contact_date": pl.Date,
                "from_professional": pl.String,
                "to_professional": pl.String,
                "channel": pl.String,
                "purpose": pl.String,
            }
        ),
        named_ties=ties,
        as_of=__import__("datetime").date(2025, 1, 1),
    )
    assert network.edges["survey_named"].sum() == 3


def test_results_of_a_roles_wave_show_the_role_map_with_the_floor_per_cell(client, roster, wave):
    made = administration.invite(
        wave=wave,
        people=administration.roster(COUNCIL, roles=["gp", "social_worker"]),
        user=None,
    )
    for invitation in made[:6]:  # six GPs rate social workers; one social worker rates GPs
        answers = complete_answers("roles") | {"own_role": "gp"}
        answers |= {f"rc_{d}__social_worker": "4" for d in (
            "frequent", "timely", "accurate", "problem_solving", "shared_goals",
            "shared_knowledge", "mutual_respect")}  # fmt: skip
        services.submit(link=invitation.link, answers=answers)
    services.submit(
        link=made[-1].link,
        answers=complete_answers("roles") | {"own_role": "social_worker", "rc_timely__gp": "2"},
    )
    client.force_login(user_for("analyst"))
    html = client.get(url("surveys:results", pk=wave.pk)).content.decode()
    table = html[html.index('id="role-map"') :]
    assert (
        '<td class="nhsuk-table__cell">GP</td><td class="nhsuk-table__cell">Social worker</td>'
        in table
    )
    assert "4.00" in table
    assert "Fewer than 5" in table  # the lone social worker's view of GPs stays hidden


def test_a_respondent_list_for_one_practice_or_team(client, roster, wave):
    client.force_login(user_for("lead"))
    client.post(
        url("surveys:invite", pk=wave.pk),
        {"roles": ["gp", "social_worker"], "organisations": "b82002\nTEAM-N"},
    )
    invited = Invitation.objects.filter(wave=wave)
    assert sorted(set(invited.values_list("organisation", flat=True))) == ["B82002", "TEAM-N"]
    assert invited.count() == 3 + 4
    response = client.post(
        url("surveys:invite", pk=wave.pk), {"roles": ["gp"], "organisations": "Z99999"}
    )
    assert response.status_code == 400
    assert "No loaded professional works at Z99999" in response.content.decode()
