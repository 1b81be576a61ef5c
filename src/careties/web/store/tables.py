"""Every table a backup holds, and which of its rows belong to one council.

A whole backup is every table of every careties app plus the user accounts;
the framework's own tables (sessions, content types, login-attempt logs) are
rebuilt by the server and left out. A row belongs to a council through its own
``la_code``, or through what it refers to (a survey link through its wave, a
list size through its practice, a contact through the professional it is
from). A user belongs to a council when that is the only council their
membership names: a regional or admin account spans councils and is only in a
whole backup.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from careties.web.accounts.models import Membership

from .models import Contact, Practice, Professional, RegisteredPatients, Service

#: App labels whose tables are careties' own data (a new careties app is included by its module).
SKIPPED_APPS = {"sessions", "contenttypes", "admin", "axes", "auth"}
#: Tables derived from the data and rebuilt by every import (per-council counts and cache
#: versions): a restore recomputes them, so a backup holding them would only go stale.
DERIVED_APPS = {"scale"}


def backed_up_models() -> list[type[models.Model]]:
    """User first, then each careties table in an order that satisfies foreign keys."""
    ours = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("careties.")
        and m._meta.app_label not in SKIPPED_APPS | DERIVED_APPS
    ]
    ordered: list[type[models.Model]] = [get_user_model()]
    pending = list(ours)
    while pending:
        progressed = False
        for model in list(pending):
            targets = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not model
            }
            if all(t in ordered or t not in pending for t in targets):
                ordered.append(model)
                pending.remove(model)
                progressed = True
        if not progressed:  # a cycle: keep the rest in definition order
            ordered.extend(pending)
            break
    return ordered


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


def single_council_users(la_code: str) -> list[int]:
    """Users whose membership names this council and no other."""
    return [
        user_id
        for user_id, codes in Membership.objects.values_list("user_id", "la_codes")
        if list(codes or []) == [la_code]
    ]


def council_rows(model: type[models.Model], la_code: str) -> models.QuerySet | None:
    """Rows of ``model`` that belong to ``la_code``; ``None`` if the table has no council."""
    names = _field_names(model)
    manager = model._default_manager
    if model is get_user_model():
        return manager.filter(pk__in=single_council_users(la_code))
    if model._meta.label_lower == "accounts.membership":
        return manager.filter(user_id__in=single_council_users(la_code))
    if "la_code" in names:
        return manager.filter(la_code=la_code)
    if model is RegisteredPatients:
        practices = Practice.objects.filter(la_code=la_code).values("practice_code")
        return manager.filter(practice_code__in=practices)
    if model is Contact:
        staff = Professional.objects.filter(la_code=la_code).values("professional_id")
        return manager.filter(from_professional__in=staff)
    if "service_id" in names:
        services = Service.objects.filter(la_code=la_code).values("service_id")
        return manager.filter(service_id__in=services)
    for field in model._meta.concrete_fields:
        target = field.related_model
        if field.is_relation and target is not None and target is not get_user_model():
            parent = council_rows(target, la_code)
            if parent is not None:
                return manager.filter(**{f"{field.name}__in": parent.values("pk")})
    return None
