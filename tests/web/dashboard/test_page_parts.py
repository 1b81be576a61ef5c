"""Parts of a page kept between requests: never another user's, never older data's."""

from __future__ import annotations

import re

import polars as pl
import pytest
from django.core.cache import cache
from django.test import override_settings
from tests.web import dashboard_data

from careties.web.accounts.models import Role
from careties.web.dashboard import page_parts
from careties.web.disclosure import Policy
from careties.web.presenters import base
from careties.web.selectors import load_frame
from careties.web.store.services import import_frame

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_cache(tmp_path):
    """The file cache ``careties serve`` uses (process copies are kept only in front of it)."""
    files = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    with override_settings(CACHES=files):
        page_parts.forget()
        cache.clear()
        yield
        page_parts.forget()


def test_local_copies_drop_the_least_recently_used_past_the_budget():
    copies = page_parts.LocalCopies(10)
    copies.put("a", "12345", 60)
    copies.put("b", "1234", 60)
    assert copies.get("a") == "12345"  # "a" is now the most recently used
    copies.put("c", "123", 60)
    assert copies.get("b") is None
    assert copies.get("a") == "12345" and copies.get("c") == "123"
    assert copies.total == 8
    copies.put("d", "x" * 11, 60)  # larger than the whole budget: not kept
    assert copies.get("d") is None
    copies.put("e", "e", 0)  # kept no time at all
    assert copies.get("e") is None


def test_no_process_copies_in_front_of_a_cache_that_keeps_nothing(monkeypatch):
    # The suite's dummy cache: rolled-back data repeat versions, so nothing may be kept.
    calls = []
    assert page_parts.shared_value("k", lambda: calls.append(1) or "html") == "html"
    assert page_parts.shared_value("k", lambda: calls.append(1) or "html") == "html"
    assert len(calls) == 2


def test_a_kept_section_is_a_copy_and_an_import_gives_a_new_one(file_cache, monkeypatch):
    facts = dashboard_data.load()
    calls = []
    spec = base.REGISTRY["ascof"]

    def counting(context):
        calls.append(1)
        return spec.presenter(context)

    monkeypatch.setitem(
        base.REGISTRY, "ascof", base.SectionSpec(spec.key, spec.title, spec.page, counting)
    )

    def built() -> base.Section:
        context = base.Context(
            user=None,
            la_code=facts["la_code"],
            la_codes=[facts["la_code"]],
            policy=Policy.unrestricted(),
        )
        return base.build("ascof", context)

    first = built()
    first.extras["links"] = {"mine": "only this request's"}
    cache.clear()  # the process copy alone answers now
    again = built()
    assert len(calls) == 1
    assert "links" not in again.extras, "a request's additions must not reach the next"
    assert again.table.rows == first.table.rows and again.cache_key == first.cache_key
    population = load_frame("population", facts["la_code"])
    import_frame(
        kind="population",
        frame=population.with_columns(pl.col("population_65_plus") * 2),
        source="synthetic-tiny-population",
    )
    after = built()
    assert len(calls) == 2, "an import must give a new section, not the kept one"
    assert after.cache_key != first.cache_key


def test_survey_waves_follow_new_answers(file_cache):
    facts = dashboard_data.load()
    la_code = facts["la_code"]
    answers = load_frame("survey_responses", la_code)
    before = page_parts.survey_waves(la_code)
    assert before == sorted(answers["wave"].unique().to_list())
    assert page_parts.survey_waves(la_code) == before
    later = answers.head(50).with_columns(
        wave=pl.lit("2099-W9"), response_id=pl.col("response_id") + "-later"
    )
    import_frame(kind="survey_responses", frame=later, source="later-wave.csv")
    assert page_parts.survey_waves(la_code) == sorted([*before, "2099-W9"])


def _header_links(page: str) -> list[str]:
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    return re.findall(r'href="([^"]+)"', header)


def test_header_links_are_each_users_own(file_cache, client):
    facts = dashboard_data.load()
    users = dashboard_data.users(facts)
    url = f"/council/{facts['la_code']}/"
    seen = {}
    for role in (Role.COUNCIL_LEAD, Role.PRACTICE, Role.REGIONAL, Role.COUNCIL_LEAD):
        client.force_login(users[role])
        response = client.get(url)
        page = response.content.decode()
        page_parts.forget()  # the same page with nothing kept, as a first request sees it
        fresh = client.get(url).content.decode()
        assert response.status_code == 200
        assert _header_links(page) == _header_links(fresh)
        assert users[role].get_username() in page.split("</header>", 1)[0]
        seen[role] = _header_links(page)
        client.logout()
    assert seen[Role.COUNCIL_LEAD] != seen[Role.PRACTICE]
    assert seen[Role.COUNCIL_LEAD] != seen[Role.REGIONAL]


def test_a_kept_signposting_section_shows_a_new_sign_post(file_cache):
    import datetime as dt

    from tests.web.factories import make_user

    from careties.web.programme.models import SignPost
    from careties.web.programme.services import record_signpost

    facts = dashboard_data.load()
    context = base.Context(
        user=None,
        la_code=facts["la_code"],
        la_codes=[facts["la_code"]],
        policy=Policy.unrestricted(),
        practice_code=facts["practice"],
    )

    def signposts() -> int:
        built = base.build("practice_signposting", context)
        return sum(row[2] for row in built.table.rows)

    assert signposts() == 0
    services = load_frame("services", facts["la_code"])
    service = services.filter(pl.col("status").fill_null("active") == "active").row(0, named=True)
    # Recorded in the directory (its service), not imported: the data version does not move.
    where = {"la_code": facts["la_code"], "practice_code": facts["practice"]}
    made = SignPost(**where, service_id=service["service_id"], signposted_on=dt.date(2026, 3, 1))
    user = make_user(
        "gp", Role.PRACTICE, la_codes=[where["la_code"]], practice_code=facts["practice"]
    )
    record_signpost(signpost=made, user=user)
    context._memo.clear()
    assert signposts() == 1


def test_a_worker_reuses_the_latest_answer_for_a_moment_and_an_import_at_once(
    file_cache, monkeypatch
):
    from careties.web.scale import versions
    from careties.web.store.models import SurveyResponse

    monkeypatch.setattr(versions, "ANSWERS_SECONDS", 3600.0)  # no clock in the test
    facts = dashboard_data.load()
    la_code = facts["la_code"]
    before = versions.council_versions([la_code])[la_code]
    answer = SurveyResponse.objects.filter(la_code=la_code).order_by("id").last()
    answer.pk = None
    answer.response_id = "answered-in-the-browser"
    answer.save()  # as a survey answered in the browser adds its rows
    assert versions.council_versions([la_code])[la_code] == before, "reused for a moment"
    page_parts.forget()  # the moment over
    assert versions.council_versions([la_code])[la_code] == f"{before.split('.')[0]}.{answer.pk}"
    kept = versions.council_versions([la_code])[la_code]
    population = load_frame("population", la_code)
    import_frame(kind="population", frame=population, source="synthetic-tiny-population-again")
    after = versions.council_versions([la_code])[la_code]
    assert after.split(".")[0] != kept.split(".")[0], "an import is seen at once"
