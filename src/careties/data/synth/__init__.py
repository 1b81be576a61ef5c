"""Synthetic councils with planted truths, for demos, tests and benchmarks.

``generate(scale, seed)`` returns canonical frames (as the importer would make
them) and a ``truth`` dict of what was planted: over-referring GPs, weak ties,
isolated practices, a programme and its effect, the survey calibration.
``write(data, out_dir)`` writes the files a user would have, in their
published layouts, with ``truth.json``. See ``docs/synthetic.md``.
"""

from __future__ import annotations

from careties.data.synth.generator import GENERATOR_VERSION, generate
from careties.data.synth.ids import SYNTHETIC_KEY
from careties.data.synth.model import SyntheticData
from careties.data.synth.scales import SCALES, SURVEY_WAVES
from careties.data.synth.surveys import QUESTION_IDS
from careties.data.synth.writer import FILE_FOR_KIND, FILES, write

__all__ = [
    "FILE_FOR_KIND",
    "FILES",
    "GENERATOR_VERSION",
    "QUESTION_IDS",
    "SCALES",
    "SURVEY_WAVES",
    "SYNTHETIC_KEY",
    "SyntheticData",
    "generate",
    "write",
]
