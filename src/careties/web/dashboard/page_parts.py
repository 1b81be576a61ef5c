"""The parts of a dashboard page that every request repeated, kept between requests.

With a page's sections cached, what was left of a request was mostly work whose
answer had not changed since the last one: the survey waves a council has
answers for (a ``DISTINCT`` over all its answers, tens of milliseconds on a
council of the England store), the header's links (some twenty permission
checks and URL reversals), and reading the same rendered section HTML back
from the file cache and unpickling it. Each is kept here under a key that
holds everything its answer depends on, so nothing is ever shown to a user
or for data it was not made for:

- :func:`survey_waves`: per council and its data version (an import or a
  survey answered in the browser moves it on).
- :func:`header_nav`: per user, the user's membership (role, councils,
  practice, team), the council in hand and the header link marked current;
  kept a minute at most, since a user's rights can change outside those.
- :class:`LocalCopies`: a small per-process copy of file-cache entries whose
  key names their content exactly (the rendered sections: the key holds the
  section's inputs, the viewer's disclosure policy and the data version), so
  the copy can never be stale; kept no longer than the file cache keeps them.

Process copies are kept only in front of the file cache ``careties serve``
uses: the test suite's dummy cache keeps nothing, because its rolled-back
data give the same versions to different figures, and neither may a copy here.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from markupsafe import Markup

from careties import __version__
from careties.web import access
from careties.web.scale import versions
from careties.web.scale.versions import council_versions
from careties.web.store.models import SurveyResponse

from .navigation import nav_items

#: How long a user's header links are kept (seconds).
NAV_SECONDS = 60


class LocalCopies:
    """A per-process LRU of values that never change under their key, bounded in size.

    ``size`` weighs a value (characters of HTML, say); the least recently used
    are dropped once the total passes ``budget``. Thread-safe, for gunicorn's
    threaded workers as well as its sync ones.
    """

    def __init__(self, budget: int, size: Callable[[object], int] = len) -> None:
        self.budget = budget
        self.size = size
        self.total = 0
        self._items: OrderedDict[Hashable, tuple[object, int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> object | None:
        """The value kept under ``key``, or None when absent or past its time."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if time.monotonic() >= found[2]:
                self.total -= self._items.pop(key)[1]
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: object, seconds: float) -> None:
        """Keep ``value`` under ``key`` for ``seconds`` at most (less if space runs out)."""
        weight = self.size(value)
        if weight > self.budget:
            return
        with self._lock:
            if key in self._items:
                self.total -= self._items.pop(key)[1]
            self._items[key] = (value, weight, time.monotonic() + seconds)
            self.total += weight
            while self.total > self.budget:
                _, (_, dropped, _) = self._items.popitem(last=False)
                self.total -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.total = 0


#: Rendered section HTML, by its exact cache key: 64 M characters at most per worker.
SECTION_HTML = LocalCopies(64 * 2**20)
#: Built sections (tables, figures), by their exact cache key: 128 MiB pickled at most.
SECTIONS = LocalCopies(128 * 2**20, size=lambda value: len(pickle.dumps(value, protocol=5)))
#: Survey waves per (council, data version); header links per user and place.
_WAVES = LocalCopies(4096, size=lambda _: 1)
_NAV = LocalCopies(4096, size=lambda _: 1)
#: The header as drawn (before its CSRF field goes in), per user and place.
_HEADERS = LocalCopies(16 * 2**20)
#: Values derived from a kept section (the work list's rows), by the section's key.
_DERIVED = LocalCopies(64, size=lambda _: 1)


def forget() -> None:
    """Drop every process copy (tests that switch caches or roll back data use it)."""
    for copies in (SECTION_HTML, SECTIONS, _WAVES, _NAV, _HEADERS, _DERIVED):
        copies.clear()
    versions._answers_seen.clear()


def _process_copies() -> float | None:
    """Seconds a process copy may be kept (the shared cache's own), or None for no copies."""
    shared = caches["default"]
    if not isinstance(shared, FileBasedCache):
        return None
    return shared.default_timeout or 300.0


def reuses_for_a_while() -> bool:
    """Whether a worker may reuse a value for a moment (behind the file cache, as served)."""
    return _process_copies() is not None


def _kept(
    copies: LocalCopies, key: str, compute: Callable[[], object], timeout: float | None = None
) -> object:
    """The value under ``key`` (which names its content exactly): this process's copy,
    else the shared cache's, else computed and kept in both (``timeout``: the shared
    cache's time for it, else its default)."""
    seconds = _process_copies()
    found = copies.get(key) if seconds else None
    if found is not None:
        return found
    found = cache.get(key)
    if found is None:
        found = compute()
        if timeout is None:
            cache.set(key, found)
        else:
            cache.set(key, found, timeout)
    if seconds:
        copies.put(key, found, min(seconds, timeout or seconds))
    return found


def built_section(key: str, compute: Callable[[], object], seconds: float) -> object:
    """A built section under its exact key (``presenters.build``): kept like the HTML."""
    return _kept(SECTIONS, key, compute, seconds)


def shared_value(key: str, compute: Callable[[], str]) -> str:
    """Rendered section HTML under its exact key: a process copy, the shared cache, or made."""
    return _kept(SECTION_HTML, key, compute)  # type: ignore[return-value]


def derived(key: str, compute: Callable[[], list]) -> list:
    """A list made from a kept section alone (``key`` holds the section's ``cache_key``):
    this worker's copy, else made and kept; a new list each time (its items shared)."""
    seconds = _process_copies()
    found = _DERIVED.get(key) if seconds else None
    if found is None:
        found = compute()
        if seconds:
            _DERIVED.put(key, found, seconds)
    return list(found)  # type: ignore[call-overload]


def survey_waves(la_code: str) -> list[str]:
    """The survey waves the council has answers for, sorted; kept per data version."""
    version = council_versions([la_code])[la_code]
    key = f"careties-{__version__}:waves:{la_code}:{version}"

    def distinct() -> list[str]:
        found = SurveyResponse.objects.filter(la_code=la_code).values_list("wave", flat=True)
        return sorted(found.distinct())

    return list(_kept(_WAVES, key, distinct))  # type: ignore[arg-type]


def _nav_key(request) -> tuple | None:
    """Everything the header links depend on, or None when they must not be kept."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    member = access.membership_of(user)
    match = getattr(request, "resolver_match", None)
    return (
        user.pk,
        user.get_username(),
        user.is_superuser,
        user.is_staff,
        user.is_active,
        (
            member.role,
            tuple(member.la_codes or ()),
            member.practice_code,
            member.team_code,
            member.professional_id,
        )
        if member is not None
        else None,
        match.url_name if match else None,
        match.namespace if match else None,
        (match.kwargs.get("la_code") if match else None),
        request.GET.get("la"),
    )


def header_nav(request) -> list[dict]:
    """``navigation.nav_items(request)``, kept a minute for the same user in the same place."""
    key = _nav_key(request) if _process_copies() else None
    if key is None:
        return nav_items(request)
    found = _NAV.get(key)
    if found is None:
        found = [dict(item) for item in nav_items(request)]
        _NAV.put(key, found, NAV_SECONDS)
    return [dict(item) for item in found]


def header_html(request, caller: Callable[[], str]) -> Markup:
    """The page header ``caller`` draws, kept like :func:`header_nav` (same key, same minute).

    Drawing the NHS header macro was a fifth of a cached page's time. It shows
    the header links, the user's name and whether they may manage users (their
    role): all in the key. The per-request CSRF field is put in after, by the layout.
    """
    key = _nav_key(request) if _process_copies() else None
    if key is None:
        return Markup(caller())
    found = _HEADERS.get(key)
    if found is None:
        found = str(caller())
        _HEADERS.put(key, found, NAV_SECONDS)
    return Markup(found)
