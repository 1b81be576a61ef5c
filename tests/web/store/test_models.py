"""The store's tables carry the indexes their hot queries need, on both databases."""

from __future__ import annotations

import pytest
from django.db import connection

from careties.web.store.models import SurveyResponse

pytestmark = pytest.mark.django_db

TABLE = SurveyResponse._meta.db_table


def _indexes() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, TABLE)
    return {name: c["columns"] for name, c in found.items() if c["index"] and not c["unique"]}


def test_survey_answers_are_indexed_by_council_then_id():
    # Each council's data version reads max(id) of its answers: only an index
    # led by the council and then the id answers that without reading them all.
    assert _indexes().get("survey_answers_council_id") == ["la_code", "id"]


def test_no_second_index_on_the_council_alone():
    # The (la_code, id) index serves every per-council filter; a council-only
    # index beside it would only slow every import of answers.
    assert ["la_code"] not in _indexes().values()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_postgresql_reads_a_councils_latest_answer_from_the_index():
    from careties.web.scale.versions import council_versions

    query = "SELECT MAX(id) FROM careties_survey_responses WHERE la_code = %s"
    with connection.cursor() as cursor:
        # The test table is small: forbid the sequential scan so the plan shows
        # which index, if any, the database can use for this query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + query, ["E10000019"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # From the (la_code, id) index, the latest id is the council's last entry;
    # on a large table the plan reads it backwards, one step.
    assert "using survey_answers_council_id" in plan, plan
    assert council_versions(["E10000019"]) == {"E10000019": "0.0"}
