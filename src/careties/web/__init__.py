"""The Django project: the store, accounts and the shared dashboard.

Nothing outside ``careties.web`` and ``careties.commands`` imports from here;
the domain packages take frames, and this package supplies them.
"""

from __future__ import annotations

import os


def setup_django(settings_module: str = "careties.web.settings.local") -> None:
    """Configure Django once, for CLI commands and scripts that use the store."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    # Django is imported only when a command needs the store, so the rest of the
    # CLI (``careties --help``, ``careties synth``) starts without it.
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
