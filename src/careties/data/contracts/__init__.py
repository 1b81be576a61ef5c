"""One contract per kind of file: its accepted layouts and how each becomes the canonical frame."""

from __future__ import annotations

from types import ModuleType

from careties.data.contracts import (
    contacts,
    discharges,
    emergency_admissions,
    events,
    local_authorities,
    population,
    practice_deprivation,
    practices,
    professionals,
    registered_patients,
    services,
    survey_responses,
)

CONTRACTS: dict[str, ModuleType] = {
    module.KIND: module
    for module in (
        local_authorities,
        practices,
        registered_patients,
        population,
        professionals,
        events,
        contacts,
        survey_responses,
        services,
        emergency_admissions,
        discharges,
        practice_deprivation,
    )
}
