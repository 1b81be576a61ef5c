"""The dashboard app registers every section when Django starts, never later.

A section registered on first use (its module imported by the views, which the
URLconf imports on the first request) made the registry grow while a request
ran, and any loop over it failed with "dictionary changed size during
iteration". A fresh interpreter shows what this process, with its imports
already done, cannot: what the registry holds right after ``django.setup()``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from tests.web.paths import url

_AFTER_SETUP = textwrap.dedent(
    """
    import importlib, json, pkgutil

    import django

    django.setup()
    from careties.web.presenters.base import REGISTRY

    at_setup = sorted(REGISTRY)
    import careties.web
    from django.urls import get_resolver

    get_resolver().url_patterns  # imports every view, as the first request does
    for module in pkgutil.walk_packages(careties.web.__path__, "careties.web."):
        if ".migrations" not in module.name and ".settings" not in module.name:
            importlib.import_module(module.name)
    print(json.dumps({"at_setup": at_setup, "after_everything": sorted(REGISTRY)}))
    """
)


def test_every_section_is_registered_by_django_setup_before_any_request():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "careties.web.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", _AFTER_SETUP], env=env, capture_output=True, text=True, check=True
    )
    registry = json.loads(done.stdout.strip().splitlines()[-1])
    assert "pledge_status" in registry["at_setup"]  # the BCF report's own section
    assert registry["at_setup"] == registry["after_everything"]


def test_a_request_leaves_the_registry_as_it_found_it(client, db):
    from careties.web.presenters.base import REGISTRY

    before = dict(REGISTRY)
    client.get(url("home"))  # loads the URLconf and with it every view module
    assert before == REGISTRY
