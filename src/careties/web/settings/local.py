"""Settings for `careties demo` and local use: the base, on loopback."""

from .base import *  # noqa: F403
