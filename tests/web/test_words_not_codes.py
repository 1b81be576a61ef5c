"""No page shows a raw code: every code reaches people as words (issue 16, careties.labels).

The synthetic council is loaded with its demo programme and one survey wave per
instrument with answers; then, as an administrator, a practice user and a social
worker, every URL the app serves is opened, with every section it loads by htmx,
every survey wave it links to and every CSV it offers. The visible text, the
table cells, the charts' labels (categories, legends, hover text) and the CSV
cells must hold no snake_case code (``falls_prevention``) and no table cell or
chart category may be a bare code the label map names (``telecare``).

Not checked as text: ``<code>`` and ``<pre>`` (command lines such as ``careties
import published_ascof`` name kinds as the command spells them), form values
and URLs (machine-facing), and user names (test accounts are ``user-<role>``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest

from careties.labels import LABELS
from careties.web.accounts.models import Role

from . import dashboard_data
from .test_every_url import every_url

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

#: A snake_case code standing alone (not part of a file name, a URL or a username).
CODE = re.compile(r"(?<![\w\-./`@])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w\-./`@])")
#: Command lines quoted in notes: ``careties import KIND FILE``.
COMMAND = re.compile(r"`[^`]*`|careties import [a-z_]+(?: and [a-z_]+)?")
#: Plotly keys whose strings a reader sees.
SHOWN_KEYS = {"x", "y", "text", "name", "title", "labels", "ticktext", "hovertext"}
#: Bare codes that are also plain words (a cell saying "Other" or "phone" reads as a word).
PLAIN_WORDS = {"other", "community", "phone", "email", "meeting", "training", "service"}


class _Page(HTMLParser):
    """Visible text, table cells, chart JSON, and the links a reader can follow."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.cells: list[str] = []
        self.charts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._script = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag in ("script", "style", "code", "pre"):
            self._hidden += 1
            self._script = tag == "script" and found.get("type") == "application/json"
        if tag in ("td", "th"):
            self._cell = []
        if (found.get("hx-get") or "").startswith("/"):
            self.links.append(found["hx-get"])  # a section the page loads
        href = found.get("href") or ""
        if href.startswith("/") and ("?" not in href or href.split("?")[1].startswith("la=")):
            self.links.append(href)  # another page (its filtered variants are not walked)
        for name in ("aria-label", "title", "alt", "placeholder"):
            if found.get(name):
                self.text.append(found[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "pre"):
            self._hidden -= 1
            self._script = False
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._script:
            self.charts.append(data)
        elif not self._hidden:
            self.text.append(data)
            if self._cell is not None:
                self._cell.append(data)


def _chart_strings(value, shown: bool, out: list[str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _chart_strings(inner, shown or key in SHOWN_KEYS, out)
    elif isinstance(value, list):
        for inner in value:
            _chart_strings(inner, shown, out)
    elif isinstance(value, str) and shown:
        out.append(value)


def _bare_code(text: str) -> bool:
    return text in LABELS and LABELS[text] != text and text not in PLAIN_WORDS


def _follow(url: str) -> bool:
    """Pages and sections to open; downloads other than CSV and actions are left out."""
    path = url.split("?")[0]
    if path.endswith((".xlsx", ".pdf", ".json", "/logout/")) or "/s/" in path:
        return False
    return path.startswith(("/council/", "/programme/", "/surveys/", "/bcf/", "/regional/")) or (
        path in ("/", "/methods/", "/data/")
    )


@pytest.fixture
def demo(db):
    from careties.web.programme.demo import seed_demo_programme
    from careties.web.surveys import services
    from careties.web.surveys.models import Wave

    from .surveys.helpers import complete_answers, make_wave

    facts = dashboard_data.load()
    data = dashboard_data.synthetic()
    facts["service_id"] = data.frames["services"]["service_id"][0]
    seed_demo_programme(data.truth, facts["la_code"], "The synthetic council")
    for instrument in ("gp", "social_worker", "older_person", "roles"):
        wave = make_wave(instrument, name="2026-W3", la_code=facts["la_code"])
        for _ in range(6):
            link = services.create_link(wave=wave, organisation=facts["practice"], single_use=True)
            services.submit(link=link, answers=complete_answers(wave.instrument))
    assert Wave.objects.filter(la_code=facts["la_code"]).count() == 4
    return facts


def _codes_in_csv(text: str) -> set[str]:
    rows = list(csv.reader(io.StringIO(text)))
    return {c for row in rows[1:] for c in row if CODE.fullmatch(c) or _bare_code(c)}


def _codes_in_html(page: _Page) -> set[str]:
    strings: list[str] = []
    for chart in page.charts:
        _chart_strings(json.loads(chart), False, strings)
    found = {code for text in page.text + strings for code in CODE.findall(COMMAND.sub("", text))}
    return found | {c.strip() for c in page.cells + strings if _bare_code(c.strip())}


def _problems(client, facts: dict, *, follow: bool, limit: int = 400) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    queue = [url for _, url in every_url(facts)]
    seen: set[str] = set()
    while queue and len(seen) < limit:
        url = queue.pop(0).replace("&amp;", "&")
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if response.status_code != 200:
            continue
        if "csv" in kind:
            codes = _codes_in_csv(response.content.decode("utf-8-sig"))
        elif "html" in kind:
            page = _Page()
            page.feed(response.content.decode())
            queue += [link for link in page.links if follow and _follow(link) or ".csv" in link]
            codes = _codes_in_html(page)
        else:
            continue
        for code in codes:
            found.setdefault(code, set()).add(url.split("?")[0])
    return found


def test_no_page_section_chart_or_csv_shows_a_raw_code(client, demo):
    """An administrator sees every council page: walk them and every page they link to."""
    client.force_login(dashboard_data.users(demo)[Role.SYSTEM_ADMIN])
    found = _problems(client, demo, follow=True)
    assert not found, {code: sorted(urls)[:3] for code, urls in found.items()}


@pytest.mark.parametrize("role", [Role.PRACTICE, Role.SOCIAL_WORKER])
def test_the_pages_of_practice_users_and_social_workers_show_no_raw_code(client, demo, role):
    """Their own views (anonymised benchmarks, their team's ties): every URL and its sections."""
    client.force_login(dashboard_data.users(demo)[role])
    found = _problems(client, demo, follow=False)
    assert not found, {code: sorted(urls)[:3] for code, urls in found.items()}


def test_the_check_finds_codes_in_text_cells_charts_and_csv():
    """The check itself can fail: each place a code could hide is caught."""
    chart = json.dumps({"data": [{"x": ["telecare", "Home care"], "name": "Known"}]})
    page = _Page()
    page.feed(
        "<p>Falls: falls_prevention</p><table><tr><td>reablement</td><td>A81001</td></tr></table>"
        f'<script type="application/json">{chart}</script>'
        "<code>careties import published_ascof</code><p>`careties import peer_groups`</p>"
        "<p>user-system_admin, synthetic-tiny-registered_patients</p>"
    )
    assert _codes_in_html(page) == {"falls_prevention", "reablement", "telecare"}
    assert _codes_in_csv("Type,Count\nday_services,3\nDay services,4\n") == {"day_services"}
