"""The contract every write service keeps (issue 20, the HackSoft styleguide's services).

Imported by each area's ``test_services`` module, which lists its writes in ``WRITES``;
``tests/web/conftest.py`` runs the test once for each of them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable


def test_every_write_takes_keyword_arguments_only(write: Callable) -> None:
    kinds = {p.kind for p in inspect.signature(write).parameters.values()}
    assert kinds <= {inspect.Parameter.KEYWORD_ONLY}, write.__name__
