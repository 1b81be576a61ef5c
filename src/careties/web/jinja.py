"""The Jinja2 environment: Django's static and url helpers for templates."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, Environment, select_autoescape
from markupsafe import Markup

from careties.labels import label
from careties.web.store.names import professional_label


def _url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def _csrf_input(request) -> str:
    token = get_token(request)
    return Markup(f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">')


def _thousands(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _can_manage_users(user) -> bool:
    """Whether the header offers the Users page: the rule its view declares."""
    return bool(user.has_perm("careties.manage_users"))


def _professional_label(request, la_code: str, professional_id: str | None) -> str:
    """A professional named as this user may see them (``careties.web.store.names``)."""
    return professional_label(request, la_code, professional_id)


def _kept_header(caller) -> Markup:
    """The page header as drawn; pages with a request keep it (``page_parts.header_html``)."""
    return Markup(caller())


def environment(**options) -> Environment:
    """Build the environment Django's Jinja2 backend renders with."""
    options.setdefault("autoescape", select_autoescape(["html", "jinja", "xml"]))
    # The NHS component macros read optional nested parameters (params.search.action).
    options["undefined"] = ChainableUndefined
    env = Environment(**options)
    env.globals.update(
        static=static,
        url=_url,
        csrf_input_for=_csrf_input,
        get_messages=get_messages,
        can_manage_users=_can_manage_users,
        kept_header=_kept_header,
    )
    env.filters["thousands"] = _thousands
    # A GP or staff member by the council's display name where this user may see it.
    env.globals["professional_label"] = _professional_label
    # One map from codes to words (careties.labels): {{ service_type | label }}.
    env.filters["label"] = label
    return env
