"""The section pattern: a presenter turns frames into one table and (maybe) one chart.

A page is a list of sections. Each section has a presenter, a plain function
from a :class:`Context` to a :class:`Draft` (a raw frame, what its columns are,
and how to draw it). :func:`build` is the only way a draft becomes something
shown: it applies :func:`careties.web.disclosure.apply` first, then builds the
table and the chart from the disclosed frame. Pages, the htmx partials, the JSON
endpoint and the CSV/XLSX exports all call :func:`build`, so suppression cannot
be skipped by any of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl
from django.core.cache import cache

from careties import __version__
from careties.errors import NotEnoughData
from careties.labels import label_expr
from careties.web import disclosure
from careties.web.dashboard.page_parts import built_section
from careties.web.disclosure import Disclosure, Policy
from careties.web.scale.versions import region_of, scope_version
from careties.web.selectors import load_frame


class NotAvailable(NotEnoughData):
    """A section whose figures cannot be computed yet: the presenter found too little data.

    A :class:`careties.errors.NotEnoughData` (what domain functions raise for the
    same state), so :func:`_build` catches the one type and nothing broader.
    """


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    #: "text", "count", "number", "rate", "percent", "date"
    kind: str = "text"
    digits: int = 1
    #: A topic of ``careties.labels`` when the column holds codes: the table, the chart
    #: and the exports then show its words ("falls_prevention" -> "Falls prevention").
    labels: str | None = None


@dataclass
class Draft:
    """What a presenter returns, before disclosure."""

    frame: pl.DataFrame
    columns: list[Column]
    disclosure: Disclosure
    #: Draws the chart from the *disclosed* frame; returns a Plotly figure dict.
    chart: Callable[[pl.DataFrame], dict] | None = None
    note: str = ""
    #: Extra things a template shows above the table (headline figures, icons).
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    key: str
    caption: str
    columns: list[Column]
    rows: list[list[Any]]
    suppressed: list[list[bool]]

    def display_rows(self) -> list[list[str]]:
        """Cells as text, ``*`` where suppressed."""
        out = []
        for row, hidden in zip(self.rows, self.suppressed, strict=True):
            out.append(
                [
                    disclosure.SUPPRESSED if h else format_cell(v, c)
                    for v, h, c in zip(row, hidden, self.columns, strict=True)
                ]
            )
        return out

    def export_rows(self) -> list[list[Any]]:
        """Cells as values for a spreadsheet: numbers stay numbers, ``*`` where suppressed."""
        return [
            [
                disclosure.SUPPRESSED if h else _export_value(v)
                for v, h in zip(row, hidden, strict=True)
            ]
            for row, hidden in zip(self.rows, self.suppressed, strict=True)
        ]

    def header(self) -> list[str]:
        return [c.label for c in self.columns]


@dataclass
class Section:
    key: str
    title: str
    page: str
    available: bool
    table: Table | None = None
    figure: dict | None = None
    note: str = ""
    message: str = ""
    extras: dict[str, Any] = field(default_factory=dict)
    #: Identifies this exact view of the section (inputs, policy, data version);
    #: empty when the section must not be reused.
    cache_key: str = ""


@dataclass
class Context:
    """Who is looking, at what, with frames loaded once per kind per request."""

    user: Any
    la_code: str | None
    la_codes: list[str]
    policy: Policy
    practice_code: str | None = None
    period: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    _frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)

    def frame(self, kind: str) -> pl.DataFrame:
        """The canonical frame of ``kind`` for this council (or the councils in scope)."""
        if kind not in self._frames:
            if self.la_code is not None:
                loaded = load_frame(kind, self.la_code)
            else:
                loaded = (
                    pl.concat(
                        [load_frame(kind, code) for code in self.la_codes], how="vertical_relaxed"
                    )
                    if self.la_codes
                    else load_frame(kind).head(0)
                )
            self._frames[kind] = loaded
        return self._frames[kind]

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """Compute a derived frame once per request (several sections share it)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def version(self, region: bool = False) -> str:
        """The data version of the councils this context reads (see :func:`data_version`).

        ``region``: the council's whole region, for sections that compare with it.
        """
        codes = [self.la_code] if self.la_code else list(self.la_codes)
        if region and self.la_code:
            codes = self.memo("_region", lambda: region_of(self.la_code))
        return self.memo(f"_data_version:{','.join(sorted(codes))}", lambda: data_version(codes))

    def cached(
        self,
        key: str,
        compute: Callable[[], Any],
        seconds: int = 3600,
        *,
        region: bool = False,
        copied: bool = False,
    ) -> Any:
        """Like :meth:`memo`, but kept across requests and workers until the data change.

        For the heavy, user-independent results (quarterly network metrics):
        the key carries the data version of the councils read (``region``: of the
        council's region), so new data is never hidden and another council's
        import does not make this one's results cold. Disclosure still runs on
        every request, after this. ``copied``: the worker also keeps its own
        copy (``dashboard.page_parts``), sparing the file read and unpickling;
        only for values no caller changes in place.
        """
        version = self.version(region)
        scope = self.la_code or ",".join(sorted(self.la_codes))
        if len(scope) > 64:  # every council of a region or of England: keys stay short
            scope = hashlib.sha256(scope.encode()).hexdigest()[:32]
        full_key = f"careties-{__version__}:{key}:{scope}:{version}"

        def load() -> Any:
            if copied:
                return built_section(full_key, compute, seconds)
            found = cache.get(full_key)
            if found is None:
                found = compute()
                cache.set(full_key, found, seconds)
            return found

        return self.memo(full_key, load)


def data_version(la_codes: list[str]) -> str:
    """Changes whenever anything these councils' sections show could have changed.

    Each import moves on the version of the councils it touched (programme
    activities go through the importer too); survey submissions add response
    rows of their council. Indexed lookups per council, cheap enough for every
    request; another council's import leaves the value alone.
    """
    return scope_version(la_codes)


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    page: str
    presenter: Callable[[Context], Draft]
    #: Whether the section takes a period (the htmx filter offers the choices).
    periodic: bool = False
    #: Whether the built section may be reused until the data change; False for
    #: sections that read records edited in the UI rather than imported.
    cacheable: bool = True
    #: Whether the section shows figures of the council's whole region, so that
    #: an import by another council of the region must rebuild it.
    region: bool = False
    #: For a section that also reads records written in the UI (not imported, so
    #: not in the data version): a cheap fingerprint of them, part of the cache key.
    stamp: Callable[[Context], str] | None = None


REGISTRY: dict[str, SectionSpec] = {}


def section(
    key: str,
    title: str,
    page: str,
    *,
    periodic: bool = False,
    cacheable: bool = True,
    region: bool = False,
    stamp: Callable[[Context], str] | None = None,
):
    """Register a presenter as the section ``key`` of ``page``."""

    def register(presenter: Callable[[Context], Draft]) -> Callable[[Context], Draft]:
        REGISTRY[key] = SectionSpec(key, title, page, presenter, periodic, cacheable, region, stamp)
        return presenter

    return register


def build(key: str, context: Context) -> Section:
    """The section as this user may see it, reused until the data change.

    The cache key holds everything the shown section depends on: the council
    or councils, the practice, the period and parameters, and the disclosure
    policy (so a suppressed view is never served to someone entitled to the
    full one, nor the reverse). Pages must answer in well under a second
    under load, and the domain computations behind them take longer than that.
    """
    spec = REGISTRY[key]
    if not spec.cacheable:
        return _build(spec, context)
    parts = (
        key,
        context.la_code or ",".join(sorted(context.la_codes)),
        context.practice_code or "",
        context.period or "",
        repr(sorted(context.params.items())),
        repr(context.policy),
        spec.stamp(context) if spec.stamp else "",
    )
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    kept = context.cached(
        f"section:{digest}", lambda: _build(spec, context), region=spec.region, copied=True
    )
    # A copy with its own extras: the views add links and per-user extras to it, and
    # the kept section is shared by every request of this worker.
    built = replace(kept, extras=dict(kept.extras))
    built.cache_key = f"{digest}:{context.version(spec.region)}"
    return built


def _build(spec: SectionSpec, context: Context) -> Section:
    """Run the section's presenter, apply disclosure, and shape table and chart."""
    key = spec.key
    try:
        draft = spec.presenter(context)
    except NotAvailable as reason:
        return Section(key, spec.title, spec.page, available=False, message=str(reason))
    except NotEnoughData as reason:
        # A domain function found too little data (no events, too few points for a
        # chart): a normal state, worded for a council analyst. Anything else it
        # raises is a bug and propagates: an error page with an id, a failing test.
        return Section(
            key, spec.title, spec.page, available=False, message=f"Not enough data yet: {reason}"
        )
    shown = disclosure.apply(draft.frame, draft.disclosure, context.policy)
    # Codes become words once, here, so the table, the chart and every export agree.
    shown = shown.with_columns(
        label_expr(c.key, c.labels).alias(c.key)
        for c in draft.columns
        if c.labels and c.key in shown.columns and shown.schema[c.key] == pl.String
    )
    columns = [c for c in draft.columns if c.key in shown.columns]
    rows = shown.select([c.key for c in columns]).rows()
    hidden = (
        pl.DataFrame([disclosure.is_suppressed(shown, c.key) for c in columns]).rows()
        if columns and shown.height
        else []
    )
    table = Table(key, spec.title, columns, [list(r) for r in rows], [list(h) for h in hidden])
    figure = draft.chart(shown) if draft.chart is not None and shown.height else None
    return Section(
        key,
        spec.title,
        spec.page,
        available=True,
        table=table,
        figure=figure,
        note=draft.note,
        extras=draft.extras,
    )


def format_cell(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if column.kind == "count" and isinstance(value, int | float):
        return f"{int(value):,}"
    if column.kind in {"rate", "number"} and isinstance(value, int | float):
        return f"{value:,.{column.digits}f}"
    if column.kind == "percent" and isinstance(value, int | float):
        return f"{value:.{column.digits}f}%"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def _export_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value
