"""Rendered sections, reused like the sections themselves.

Turning a built section into HTML (table rows, chart JSON, links) costs more
than every query of a cached page together, and its output depends only on
the section (whose ``cache_key`` holds its inputs, the viewer's disclosure
policy and the data version), never on the request. So the HTML is kept in
the same cache, under the same key, and each worker keeps a copy of the
sections it served last (``page_parts.shared_value``): the key names the
content exactly, so the copy is never stale.
"""

from __future__ import annotations

from django.template.loader import get_template
from markupsafe import Markup

from careties import __version__
from careties.web import charts
from careties.web.presenters import Section

from .page_parts import shared_value


def _render(section: Section) -> str:
    template = get_template("dashboard/_section.jinja").template
    return str(template.module.render_section(section, charts.as_json))


def section_html(section: Section) -> Markup:
    """The section's HTML, from the cache when this exact view was rendered before."""
    if not section.cache_key:
        return Markup(_render(section))
    key = f"careties-{__version__}:html:{section.cache_key}"
    return Markup(shared_value(key, lambda: _render(section)))
