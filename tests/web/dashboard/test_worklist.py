"""The targeting list as a work list (issue 16): sorted, filtered, paged, acted on."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.web import dashboard_data

from careties.web.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    return dashboard_data.load()


def _ranks(html: str) -> list[int]:
    return [int(r) for r in re.findall(r'careties-worklist__rank">(\d+)\.', html)]


def test_the_list_is_paged_with_reasons_in_words_and_links(client, loaded):
    la_code = loaded["la_code"]
    client.force_login(dashboard_data.users(loaded)[Role.COUNCIL_LEAD])
    response = client.get(reverse("targeting", args=[la_code]))
    html = response.content.decode()
    assert response.status_code == 200
    ranks = _ranks(html)
    assert ranks[:3] == [1, 2, 3] and len(ranks) <= 25
    assert "admissions against" in html
    assert reverse("practice", args=[la_code, loaded["practice"]])[:-7] in html
    assert "Add to plan" in html and reverse("programme:plan_new") in html
    assert "careties-table" not in html.split('id="worklist"')[1].split("</div>")[0]
    second = client.get(reverse("targeting", args=[la_code]) + "?page=2").content.decode()
    if "Page 2 of" in html:
        assert _ranks(second)[0] == 26


def test_filters_sort_and_htmx_swap_only_the_list(client, loaded):
    la_code = loaded["la_code"]
    client.force_login(dashboard_data.users(loaded)[Role.COUNCIL_ANALYST])
    url = reverse("targeting", args=[la_code])
    top = client.get(url + "?targeted=yes", headers={"HX-Request": "true"}).content.decode()
    assert top.lstrip().startswith('<div id="worklist"') and "<html" not in top
    assert "Top quartile" in top
    outside = client.get(url + "?targeted=no").content.decode()
    assert "Top quartile</strong>" not in outside.split('id="worklist"')[1]
    by_admissions = client.get(url + "?sort=admissions").content.decode()
    counts = [int(n) for n in re.findall(r"· (\d+) admissions against", by_admissions)]
    assert counts == sorted(counts, reverse=True)
    searched = client.get(url + f"?q={loaded['practice']}").content.decode()
    assert all(
        loaded["practice"] in item for item in searched.split('class="careties-worklist__item"')[1:]
    )


def test_target_the_top_quartile_sets_the_programme(client, loaded):
    from careties.web.programme.models import Programme

    la_code = loaded["la_code"]
    client.force_login(dashboard_data.users(loaded)[Role.COUNCIL_LEAD])
    response = client.post(reverse("target_top_quartile", args=[la_code]))
    assert response.status_code == 302
    programme = Programme.objects.get(la_code=la_code)
    assert programme.targeted_practices
    plan = client.get(reverse("programme:plan_new") + f"?la={la_code}").content.decode()
    # The plan form lists the targeted practices first and the GPs by rank.
    first_practice = re.search(
        r'name="target_practices" type="checkbox" value="([A-Z]\d{5})"', plan
    )
    assert first_practice.group(1) in programme.targeted_practices
    assert "(rank 1)" in plan.split('name="target_gps"')[1]


def test_only_those_who_manage_the_programme_may_target(client, loaded):
    la_code = loaded["la_code"]
    users = dashboard_data.users(loaded)
    for role in (Role.PRACTICE, Role.REGIONAL, Role.SOCIAL_WORKER):
        client.force_login(users[role])
        assert client.post(reverse("target_top_quartile", args=[la_code])).status_code == 403
        assert client.get(reverse("targeting", args=[la_code])).status_code == 403


def test_add_to_plan_preselects_the_gp_and_practice(client, loaded):
    from careties.web.store.models import Professional

    la_code = loaded["la_code"]
    gp = Professional.objects.filter(la_code=la_code, role="gp").first()
    client.force_login(dashboard_data.users(loaded)[Role.COUNCIL_LEAD])
    html = client.get(
        reverse("programme:plan_new") + f"?la={la_code}&gp={gp.professional_id}"
        f"&practice={gp.organisation}"
    ).content.decode()
    assert re.search(rf'value="{gp.professional_id}" checked', html)
    assert re.search(rf'value="{gp.organisation}" checked', html)


def test_gps_are_named_where_the_council_gives_names_and_by_id_where_not(client, loaded):
    """The synthetic council names most GPs ("Dr A Shah") and leaves every seventh blank."""
    import html as html_lib

    from careties.web.store.models import Professional

    la_code = loaded["la_code"]
    gps = Professional.objects.filter(la_code=la_code, role="gp")
    named = {p.professional_id: p.display_name for p in gps if p.display_name}
    unnamed = {p.professional_id for p in gps if not p.display_name}
    assert named and unnamed
    client.force_login(dashboard_data.users(loaded)[Role.COUNCIL_LEAD])
    url = reverse("targeting", args=[la_code])
    listed = html_lib.unescape(client.get(url + "?sort=gp").content.decode())
    headings = re.findall(
        r'careties-worklist__rank">\d+\.</span>\s*(.*?)\s*(?:<strong|</h3>)', listed, re.S
    )
    assert headings
    for heading in headings:
        gp = re.search(r"GP (\S+?)</span>|^GP (\S+)$", heading.strip())
        professional_id = gp.group(1) or gp.group(2)
        if professional_id in named:
            assert heading.startswith(named[professional_id])
        else:
            assert professional_id in unnamed and heading.strip() == f"GP {professional_id}"
    # Searching by a name finds that GP.
    some_id, some_name = next(iter(named.items()))
    found = client.get(url, {"q": some_name.split()[-1]}).content.decode()
    assert f"GP {some_id}<" in found
    # The export names them too, beside the id.
    export = client.get(
        reverse("section_export", kwargs={"la_code": la_code, "key": "targeting", "fmt": "csv"})
    ).content.decode()
    assert some_name in export and "GP id (pseudonymous)" in export


def test_the_plan_form_names_the_gps_with_their_ids(client, loaded):
    from careties.web.store.models import Professional

    la_code = loaded["la_code"]
    client.force_login(dashboard_data.users(loaded)[Role.COUNCIL_LEAD])
    plan = client.get(reverse("programme:plan_new") + f"?la={la_code}").content.decode()
    gp_list = plan.split('name="target_gps"', 1)[1]
    for gp in Professional.objects.filter(la_code=la_code, role="gp")[:10]:
        shown = (
            f"{gp.display_name} ({gp.professional_id})" if gp.display_name else gp.professional_id
        )
        assert f"{shown} – " in gp_list
