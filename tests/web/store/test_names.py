"""GP display names: imported with and without them, re-imported, and shown only to the council's staff."""

from __future__ import annotations

from types import SimpleNamespace

import polars as pl
import pytest

from careties.web.accounts.models import Role
from careties.web.store.models import Professional
from careties.web.store.names import display_names, labelled, may_see_names, professional_label
from careties.web.store.services import import_file, import_frame

from ..factories import make_user

pytestmark = pytest.mark.django_db

LA = "E10000019"
OTHER = "E06000001"


@pytest.fixture
def council(csv_file):
    import_file(
        kind="local_authorities",
        path=csv_file("la.csv", f"la_code,name\n{LA},Lincolnshire\n{OTHER},Hartlepool\n"),
    )
    import_file(
        kind="practices",
        path=csv_file("p.csv", f"practice_code,name,postcode,la_code\nA81001,One,LN1 1AA,{LA}\n"),
    )


def test_names_where_given_and_the_id_where_blank(csv_file, council):
    import_file(
        kind="professionals",
        path=csv_file(
            "staff.csv",
            "professional_id,role,organisation,la_code,display_name\n"
            f"G1,GP,A81001,{LA},Dr A Shah\nG2,GP,A81001,{LA},\n",
        ),
    )
    assert display_names(LA) == {"G1": "Dr A Shah"}
    assert Professional.objects.get(professional_id="G1").label == "Dr A Shah (G1)"
    assert Professional.objects.get(professional_id="G2").label == "G2"
    assert labelled("G2", display_names(LA)) == "G2"


def test_a_file_without_names_imports_and_a_corrected_file_adds_them(csv_file, council):
    source = csv_file(
        "staff.csv", f"professional_id,role,organisation,la_code\nG1,GP,A81001,{LA}\n"
    )
    import_file(kind="professionals", path=source)
    assert display_names(LA) == {}
    source.write_text(
        f"professional_id,role,organisation,la_code,name\nG1,GP,A81001,{LA},Dr B Okafor\n"
    )
    import_file(kind="professionals", path=source)
    assert display_names(LA) == {"G1": "Dr B Okafor"}


def test_a_frame_built_without_the_column_still_imports(council):
    frame = pl.DataFrame(
        [("G9", "gp", "A81001", LA)],
        schema=["professional_id", "role", "organisation", "la_code"],
        orient="row",
    )
    import_frame(kind="professionals", frame=frame, source="roster")
    assert Professional.objects.get(professional_id="G9").display_name is None


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.SYSTEM_ADMIN, True),
        (Role.COUNCIL_LEAD, True),
        (Role.COUNCIL_ANALYST, True),
        (Role.SOCIAL_WORKER, True),
        (Role.PRACTICE, False),
        (Role.REGIONAL, False),
    ],
)
def test_only_the_councils_own_staff_see_names(csv_file, council, role, sees):
    import_file(
        kind="professionals",
        path=csv_file(
            "staff.csv",
            f"professional_id,role,organisation,la_code,display_name\nG1,GP,A81001,{LA},Dr A Shah\n",
        ),
    )
    user = make_user(f"u-{role}", role, la_codes=[LA], practice_code="A81001", team_code="T1")
    if role == Role.SYSTEM_ADMIN:
        user.is_superuser = True
        user.save()
    assert may_see_names(user, LA) is sees
    request = SimpleNamespace(user=user)
    assert professional_label(request, LA, "G1") == ("Dr A Shah (G1)" if sees else "G1")
    outsider = make_user(f"out-{role}", Role.COUNCIL_LEAD, la_codes=[OTHER])
    assert professional_label(SimpleNamespace(user=outsider), LA, "G1") == "G1"
