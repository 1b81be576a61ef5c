"""``generate``: build a synthetic world, module by module, from one seeded generator.

One ``numpy.random.Generator(PCG64(seed))`` is passed through the modules in a
fixed order, so the same seed and scale give the same frames, bit for bit.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from careties.data.frames import CANONICAL
from careties.data.synth.bcf import BCF_KINDS, generate_bcf
from careties.data.synth.contacts import generate_contacts
from careties.data.synth.events import generate_events
from careties.data.synth.geography import generate_geography
from careties.data.synth.model import SyntheticData
from careties.data.synth.scales import get_scale
from careties.data.synth.services import generate_services
from careties.data.synth.surveys import generate_surveys
from careties.data.synth.truth import build_truth
from careties.data.synth.workforce import generate_workforce

GENERATOR_VERSION = 1


def generate(
    scale: str = "council", seed: int = 0, *, programme_effect: float = -0.2
) -> SyntheticData:
    """A synthetic council ("tiny", "council") or England ("england") with planted truths.

    ``programme_effect`` is the relative change in targeted practices' residential
    admissions after the programme starts (-0.2 is a 20% fall; 0.0 plants none).
    """
    if not -1.0 <= programme_effect <= 1.0:
        raise ValueError(
            "programme_effect is a relative change between -1.0 and 1.0, e.g. -0.2 for a 20% fall"
        )

    spec = get_scale(scale)
    rng = np.random.Generator(np.random.PCG64(seed))
    geo = generate_geography(spec, rng)
    wf = generate_workforce(spec, geo, rng)
    events = generate_events(spec, geo, wf, rng, programme_effect)
    contacts = generate_contacts(spec, geo, wf, rng, programme_effect)
    surveys = generate_surveys(spec, geo, wf, rng, programme_effect)
    services = generate_services(geo, spec.services_per_council, spec.teams_per_council, rng)

    frames = {
        "local_authorities": geo.local_authorities,
        "practices": geo.practices,
        "registered_patients": geo.registered_patients,
        "population": geo.population,
        "professionals": wf.professionals,
        "events": events.frame,
        "contacts": contacts.frame,
        "survey_responses": surveys.frame,
        "services": services,
    }
    frames = {kind: _conform(kind, frame) for kind, frame in frames.items()}
    truth = build_truth(
        spec, seed, programme_effect, geo, wf, frames, contacts, surveys, GENERATOR_VERSION
    )
    bcf = generate_bcf(
        geo.practices,
        geo.list_65_plus,
        wf.practice_targeted,
        spec.data_start,
        spec.data_end,
        spec.programme_start,
        programme_effect,
        seed,
    )
    frames.update({kind: _conform(kind, bcf[kind]) for kind in BCF_KINDS})
    truth["bcf"] = bcf["truth"]
    published = {
        "event_people": events.people,
        "practice_detail": geo.practice_detail,
        "council_health_geography": geo.council_health_geography,
    }
    return SyntheticData(frames=frames, truth=truth, published=published)


def _conform(kind: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Exactly the canonical columns, in order, with the canonical types."""
    schema = CANONICAL[kind]
    # Columns the generator does not model (CLD's person fields) are null;
    # every synthetic person is a service user.
    missing = {
        name: pl.lit("service_user" if name == "client_type" else None, dtype)
        for name, dtype in schema.items()
        if name not in frame.columns
    }
    frame = frame.with_columns(**missing) if missing else frame
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])
