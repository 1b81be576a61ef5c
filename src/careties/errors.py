"""The one way a domain function says "the data hold too little for this".

Why a type of its own: a council with one month of admissions, two survey
respondents or no contacts yet is a normal state, and the dashboard says so in
words. Anything else a domain function raises (a ``ValueError`` from bad input,
a ``KeyError`` from a renamed column, an ``ImportError``) is a bug and must show
itself: an error page with an id in production, a failing test in CI. So the
web layer catches :class:`NotEnoughData` and nothing broader.

It subclasses ``ValueError`` so that callers which already refuse bad input
with ``except ValueError`` (the command line) keep reporting it as a message;
code that shows sections must catch :class:`NotEnoughData` itself, never
``ValueError``.
"""

from __future__ import annotations

__all__ = ["NotEnoughData"]


class NotEnoughData(ValueError):  # noqa: N818 - reads as a state, not a failure
    """The input is valid but holds too little to compute this (no rows, too few points).

    The message is worded for a council analyst: it is shown on the page.
    """
