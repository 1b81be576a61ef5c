"""Every chart's data table is folded under it: a <details> whose summary names the table.

Over the pages that draw charts (the council overview, a practice, relationships,
surveys, targeting, the regional view, the BCF page and sign-posting), for the
synthetic council as an administrator sees it: every table that follows a chart
in its section sits inside a <details> whose <summary> says which table it opens;
tables with no chart above them (the savings scenario) stay open.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from careties.web.accounts.models import Role

from .. import dashboard_data

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class TablesAfterCharts(HTMLParser):
    """Each <table>: whether a chart came before it in its part of the page, and its fold.

    A table in a ``careties-aside`` block (the network's missing ties, listed beside the
    drawing) is not the chart's data but what the chart leaves out: it is not counted.
    """

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.asides: list[int] = []  # depths of open "careties-aside" blocks
        self.summaries: list[str] = []  # the summary text of each open <details>
        self.in_summary = False
        self.in_caption = False
        self.chart_above = False
        self.tables: list[dict] = []
        self.charts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section" or (tag in ("h2", "h3") and "section" not in self.open):
            self.chart_above = False  # a new part of the page
        if "careties-chart" in (attributes.get("class") or "").split():
            self.chart_above = True
            self.charts += 1
        if tag == "details":
            self.summaries.append("")
        if tag == "summary":
            self.in_summary = True
        if "careties-aside" in (attributes.get("class") or "").split():
            self.asides.append(len(self.open))
        if tag == "table" and not self.asides:
            self.tables.append(
                {
                    "chart_above": self.chart_above,
                    "folded": "details" in self.open,
                    "summary": self.summaries[-1].strip() if self.summaries else "",
                    "caption": "",
                }
            )
        if tag == "caption":
            self.in_caption = True
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag == "summary":
            self.in_summary = False
        if tag == "caption":
            self.in_caption = False
        if tag == "details" and self.summaries:
            self.summaries.pop()
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass
        while self.asides and self.asides[-1] >= len(self.open):
            self.asides.pop()

    def handle_data(self, data):
        if self.in_summary and self.summaries:
            self.summaries[-1] += data
        if self.in_caption and self.tables:
            self.tables[-1]["caption"] += data


@pytest.fixture
def council(db):
    facts = dashboard_data.load("tiny")
    facts["users"] = dashboard_data.users(facts)
    return facts


def _pages(facts: dict) -> dict[str, str]:
    la = facts["la_code"]
    return {
        "overview": reverse("council", args=[la]),
        "practice": reverse("practice", args=[la, facts["practice"]]),
        "relationships": reverse("relationships", args=[la]),
        "surveys": reverse("surveys", args=[la]),
        "targeting": reverse("targeting", args=[la]),
        "regional": reverse("regional"),
        "bcf": f"{reverse('bcf:page')}?la={la}",
        "signposts": f"{reverse('programme:signposts')}?la={la}",
    }


def test_every_chart_on_every_page_has_its_table_folded_under_it(client, council):
    client.force_login(council["users"][Role.SYSTEM_ADMIN])
    charts = 0
    for page, url in _pages(council).items():
        response = client.get(url)
        assert response.status_code == 200, page
        walk = TablesAfterCharts()
        walk.feed(response.content.decode())
        charts += walk.charts
        for table in walk.tables:
            if table["chart_above"]:
                assert table["folded"], (page, table)
                assert table["summary"].startswith("The figures as a table: "), (page, table)
            else:
                assert not table["folded"], (page, table)
    # The synthetic council draws charts on most of these pages: the test saw them.
    assert charts >= 8


def test_a_folded_table_is_named_and_opens_from_the_keyboard(client, council):
    """<details>/<summary> needs no script: the summary is focusable and names its table."""
    client.force_login(council["users"][Role.COUNCIL_LEAD])
    html = client.get(reverse("council", args=[council["la_code"]])).content.decode()
    walk = TablesAfterCharts()
    walk.feed(html)
    folded = [t for t in walk.tables if t["folded"]]
    assert folded
    for table in folded:
        name = table["summary"].removeprefix("The figures as a table: ")
        assert name and name in table["caption"]
    assert 'tabindex="-1"' not in html.split('id="section-spc"')[1].split("</section>")[0]
