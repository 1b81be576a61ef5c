"""Council pages: every view allowed for admin and the council's lead and analyst, 403 for others."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.utils import timezone
from tests.web.paths import url

from careties.data.frames import CANONICAL
from careties.web.store.models import AuditEntry
from careties.web.store.services import import_frame
from careties.web.surveys import services
from careties.web.surveys.models import ColumnMapping, Link, Wave

from .helpers import COUNCIL, OTHER_COUNCIL, complete_answers, make_link, make_wave, user_for

pytestmark = pytest.mark.django_db

ALLOWED = ["admin", "lead", "analyst"]
DENIED = ["other_lead", "regional", "practice", "social_worker", "no_role"]


@pytest.fixture
def wave():
    wave = make_wave("gp")
    make_link(wave)
    return wave


@pytest.fixture
def mapping():
    return ColumnMapping.objects.create(
        la_code=COUNCIL,
        name="SmartSurvey GP",
        instrument="gp",
        sample_columns=["Q1"],
        columns={"Q1": "relationship_asc"},
        values={"Q1": {"Good": "4"}},
        sample_values={"Q1": ["Good"]},
    )


#: The council's lists and forms (no wave or mapping of their own), by URL name.
GENERAL = ("surveys:waves", "surveys:wave-create", "surveys:mappings", "surveys:mapping-create")
#: One wave's pages, by URL name.
WAVE_PAGES = (
    "surveys:wave",
    "surveys:wave-edit",
    "surveys:link-create",
    "surveys:links-csv",
    "surveys:results",
    "surveys:import",
)


def council_urls(wave: Wave, mapping: ColumnMapping) -> list[str]:
    return [
        *(url(name) for name in GENERAL),
        *(url(name, pk=wave.pk) for name in WAVE_PAGES),
        url("surveys:mapping-columns", pk=mapping.pk),
        url("surveys:mapping-answers", pk=mapping.pk),
    ]


@pytest.mark.parametrize("role", ALLOWED)
def test_council_roles_and_admin_open_every_page(client, wave, mapping, role):
    client.force_login(user_for(role))
    for page in council_urls(wave, mapping):
        response = client.get(page)
        assert response.status_code == 200, page


@pytest.mark.parametrize("role", DENIED)
def test_other_roles_are_refused_every_page(client, wave, mapping, role):
    client.force_login(user_for(role))
    general = {url(name) for name in GENERAL}
    for page in council_urls(wave, mapping):
        if role == "other_lead" and page in general:
            continue  # their own council's lists and forms; checked below
        assert client.get(page).status_code == 403, page
        assert client.post(page, {}).status_code == 403, page


def test_another_councils_lead_sees_none_of_this_councils_surveys(client, wave, mapping):
    client.force_login(user_for("other_lead"))
    assert wave.name not in client.get(url("surveys:waves")).content.decode()
    assert mapping.name not in client.get(url("surveys:mappings")).content.decode()
    form = client.get(url("surveys:wave-create")).content.decode()
    assert OTHER_COUNCIL in form and COUNCIL not in form


def test_anonymous_users_are_sent_to_log_in(client, wave, mapping):
    for page in council_urls(wave, mapping):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(url("login"))


def test_lead_sees_only_their_councils_waves(client, wave):
    make_wave("gp", name="THEIRS", la_code=OTHER_COUNCIL)
    client.force_login(user_for("lead"))
    html = client.get(url("surveys:waves")).content.decode()
    assert "2025-W2" in html and "THEIRS" not in html


def _wave_post(**overrides) -> dict:
    today = timezone.localdate()
    return {
        "la_code": COUNCIL,
        "instrument": "gp",
        "name": "2025-W3",
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=28)).isoformat(),
        **overrides,
    }


def test_lead_creates_a_wave(client):
    client.force_login(user_for("lead"))
    response = client.post(url("surveys:wave-create"), _wave_post())
    wave = Wave.objects.get()
    assert response["Location"] == f"/surveys/waves/{wave.pk}/"
    assert (wave.la_code, wave.instrument, wave.name) == (COUNCIL, "gp", "2025-W3")
    assert AuditEntry.objects.filter(action="change", what__contains="2025-W3").exists()


def test_closing_date_must_follow_opening_date(client):
    client.force_login(user_for("analyst"))
    today = timezone.localdate().isoformat()
    response = client.post(url("surveys:wave-create"), _wave_post(closes_on=today))
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert "Closing date must be after the opening date" in html
    assert 'href="#id_closes_on"' in html
    assert not Wave.objects.exists()


def test_wave_needs_name_and_dates(client):
    client.force_login(user_for("lead"))
    html = client.post(url("surveys:wave-create"), {"la_code": COUNCIL}).content.decode()
    for message in (
        "Enter a name for the wave",
        "Enter the opening date",
        "Enter the closing date",
        "Select who the survey asks",
    ):
        assert message in html


def test_duplicate_wave_name_is_refused(client, wave):
    client.force_login(user_for("lead"))
    html = client.post(url("surveys:wave-create"), _wave_post(name=wave.name)).content.decode()
    assert "already has a wave of this survey with that name" in html


def test_lead_cannot_create_a_wave_for_another_council(client):
    client.force_login(user_for("lead"))
    response = client.post(url("surveys:wave-create"), _wave_post(la_code=OTHER_COUNCIL))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Wave.objects.exists()


def test_lead_edits_a_wave(client, wave):
    client.force_login(user_for("lead"))
    closes = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    response = client.post(
        url("surveys:wave-edit", pk=wave.pk),
        _wave_post(name="2025-W2b", closes_on=closes, la_code=OTHER_COUNCIL),
    )
    assert response.status_code == 302
    wave.refresh_from_db()
    assert (wave.name, wave.closes_on.isoformat(), wave.la_code) == ("2025-W2b", closes, COUNCIL)


def test_wave_name_is_fixed_once_answers_are_stored(client, wave):
    services.submit(link=wave.links.get(), answers=complete_answers("gp"))
    client.force_login(user_for("lead"))
    client.post(url("surveys:wave-edit", pk=wave.pk), _wave_post(name="RENAMED"))
    wave.refresh_from_db()
    assert wave.name == "2025-W2"


def test_lead_makes_single_use_links_per_practice(client, wave):
    client.force_login(user_for("lead"))
    response = client.post(
        url("surveys:link-create", pk=wave.pk),
        {"organisations": "a81002\nA81003\n", "single_use": "true", "copies": "3"},
    )
    assert response.status_code == 302
    made = Link.objects.filter(wave=wave, single_use=True)
    assert made.count() == 6
    assert set(made.values_list("organisation", flat=True)) == {"A81002", "A81003"}
    assert len(set(made.values_list("token", flat=True))) == 6
    page = client.get(url("surveys:wave", pk=wave.pk)).content.decode()
    for link in made:  # the link as it is handed out and printed: spelled out, not reversed
        assert f"http://testserver/s/{link.token}/" in page


def test_link_codes_are_checked(client, wave):
    client.force_login(user_for("lead"))
    html = client.post(
        url("surveys:link-create", pk=wave.pk),
        {"organisations": "not a code", "single_use": "false", "copies": "1"},
    ).content.decode()
    assert "each code must be one letter and five digits" in html


def test_older_people_links_have_no_organisation(client):
    wave = make_wave("older_person")
    client.force_login(user_for("lead"))
    client.post(
        url("surveys:link-create", pk=wave.pk),
        {"single_use": "false", "copies": "1", "expires_on": "2099-01-31"},
    )
    link = Link.objects.get(wave=wave)
    assert link.organisation is None
    assert timezone.localtime(link.expires_at).date() == dt.date(2099, 2, 1)


def test_links_download_as_csv(client, wave):
    client.force_login(user_for("lead"))
    response = client.get(url("surveys:links-csv", pk=wave.pk))
    body = response.content.decode()
    assert response["Content-Type"] == "text/csv"
    assert wave.links.get().token in body


def _store_councils():
    schema = CANONICAL["local_authorities"]
    import_frame(
        kind="local_authorities",
        frame=pl.DataFrame(
            [{"la_code": COUNCIL, "name": "Hartlepool", "region": "North East"}], schema=schema
        ),
        source="councils.csv",
    )


def test_results_hide_every_group_under_five(client, wave):
    for _ in range(4):
        services.submit(
            link=wave.links.get(), answers=complete_answers("gp", comment="private words")
        )
    client.force_login(user_for("lead"))
    html = client.get(url("surveys:results", pk=wave.pk)).content.decode()
    assert "Fewer than 5 responses" in html
    assert "%" not in html.split("<h1>")[1].split("</main>")[0]
    assert "private words" not in html


def test_results_show_indicators_and_comments_to_the_council(client, wave):
    _store_councils()
    small = make_link(wave, organisation="A81009")
    for _ in range(6):
        services.submit(
            link=wave.links.first(), answers=complete_answers("gp", comment="Call us back")
        )
    for _ in range(2):
        services.submit(link=small, answers=complete_answers("gp"))
    client.force_login(user_for("analyst"))
    html = client.get(url("surveys:results", pk=wave.pk)).content.decode()
    assert "8 responses" in html
    assert "100%" in html  # everyone answered 'very poor' (the first option)
    assert "Call us back" in html
    # The practice with two respondents shows no figure, only the suppression note.
    a81009 = html.split("A81009")[1].split("</table>")[0]
    assert "Fewer than 5 responses" in a81009
    assert "%" not in a81009
    assert AuditEntry.objects.filter(action="view", what__contains="results").exists()


def test_results_of_another_council_are_refused(client):
    wave = make_wave("gp", la_code=OTHER_COUNCIL)
    client.force_login(user_for("lead"))
    assert client.get(url("surveys:results", pk=wave.pk)).status_code == 403
