"""The synthetic council's BCF files import through the validating importer, as `careties demo` does."""

from __future__ import annotations

import pytest

from careties.data import synth
from careties.web.bcf import services
from careties.web.bcf.demo import seed_demo_plan
from careties.web.store.services import IMPORT_ORDER, import_file

pytestmark = pytest.mark.django_db


def test_written_files_import_and_fill_the_bcf_page(tmp_path):
    data = synth.generate("tiny", seed=0)
    synth.write(data, tmp_path)
    imported = {}
    for kind in IMPORT_ORDER:
        imported[kind] = import_file(kind=kind, path=tmp_path / synth.FILE_FOR_KIND[kind]).rows
    for kind in ("emergency_admissions", "discharges", "practice_deprivation"):
        assert imported[kind] == data.frames[kind].height, kind
    la_code = data.frames["local_authorities"]["la_code"][0]
    assert seed_demo_plan(la_code) > 0
    quarters, lines = services.build_lines(la_code)
    assert len(lines) == 6
    assert all(line.cells.get(q, (None,))[0] is not None for line in lines for q in quarters)
