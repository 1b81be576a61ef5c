"""A council's data in published layouts only, loaded through ``careties import``.

The "Done when" of issue 14: the national ``epraccur.csv`` (no header, every
practice in England, councils from a practice-to-council file), NHS Digital's
quinary-age patients file, ONS's MYEB population estimates, and Client Level
Data files of both releases written to the specification -- the integer LA
code, the specification's headers, blank dates of birth, carers (one without an
event), people who died, a practice across the border -- load through the
command, and the referrals report and the dashboard's pages fill from them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.web.factories import make_user
from tests.web.paths import url

from careties.cli import main
from careties.web.accounts.models import Role
from careties.web.store.models import CareEvent, LocalAuthority, Population, Practice

pytestmark = pytest.mark.django_db

LINCS, NOTTS = "E10000019", "E10000024"
KEY = "an-end-to-end-test-key-of-forty-characters"


def _epraccur_row(code: str, postcode: str, setting: str = "4") -> str:
    cells = [code, f"SURGERY {code}", "Y63", "QHM", "1 HIGH ST", "", "LINCOLN", "", "", postcode]
    cells += ["19740401", "", "A", "B", "16C", "20200401", "", "01522 000000"]
    cells += ["", "", "", "0", "", "16C", "", setting, ""]
    return ",".join(f'"{c}"' for c in cells)


PRACTICES = {  # practice -> (postcode, council code as the mapping file gives it)
    "C83001": ("LN1 1AA", "503"),
    "C83002": ("LN2 2AA", "503"),
    "C83003": ("PE10 9AA", "503"),
    "C83004": ("NG31 6AA", "503"),
    "C84001": ("NG1 1AA", NOTTS),  # across the border
}


def _files(folder: Path) -> dict[str, Path]:
    files = {}
    rows = [_epraccur_row(code, pc) for code, (pc, _) in PRACTICES.items()]
    rows.append(_epraccur_row("Y00001", "LN1 1ZZ", setting="1"))  # not a GP practice
    files["epraccur"] = folder / "epraccur.csv"
    files["epraccur"].write_text("\n".join(rows) + "\n")
    files["map"] = folder / "practice-councils.csv"
    files["map"].write_text(
        "practice_code,la_code\n" + "".join(f"{c},{la}\n" for c, (_, la) in PRACTICES.items())
    )
    quin = [
        "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS"
    ]
    for year in (2023, 2024):
        for code, (pc, _) in PRACTICES.items():
            for sex in ("MALE", "FEMALE"):
                for band in ("65_69", "70_74", "75_79", "80_84", "85_89", "90_94", "95+"):
                    quin.append(
                        f"GP_PRAC_PAT_LIST,01-Oct-{year},GP,{code},NA,{pc},{sex},{band},150"
                    )
    files["patients"] = folder / "gp-reg-pat-prac-quin-age.csv"
    files["patients"].write_text("\n".join(quin) + "\n")
    myeb = ["ladcode21,laname21,country,sex,age,population_2023,population_2024"]
    for code in (LINCS, NOTTS, "E07000136"):
        for sex in (1, 2):
            for age in range(91):
                myeb.append(f"{code},x,E,{sex},{age},4000,4100")
    files["population"] = folder / "myeb1.csv"
    files["population"].write_text("\n".join(myeb) + "\n")
    # Release 1: the specification's headers with spaces and a colon, 2023-24.
    r1 = [
        "LA Code,LA Person Unique Identifier,NHS Number,GP Practice Code,Gender,Ethnicity,"
        "Date of Birth,Date of Death,Client Type,Primary Support Reason,Event Type,"
        "Event Reference,Event Start Date,Event End Date,Event Outcome,Request: Route of Access,"
        "Service Type,Service Component"
    ]
    r2 = [
        "LA_Code,LA_Person_Unique_Identifier,NHS_Number,GP_Practice_Code,Gender,Ethnicity,"
        "Date_of_Birth,Date_of_Death,Client_Type,Primary_Support_Reason,Accommodation_Status,"
        "Client_Funding_Status,Event_Type,Event_Reference,Event_Start_Date,Event_End_Date,"
        "Event_Outcome,Request_Route_of_Access,Service_Type,Service_Component"
    ]
    practices = list(PRACTICES)
    for n in range(60):
        practice = practices[n % len(practices)]
        born = "" if n % 17 == 0 else f"19{30 + n % 20}-0{1 + n % 9}-15"
        died = "2024-02-01" if n % 13 == 0 else ""
        r1.append(
            f"503,L{n},,{practice},Female,White: Irish,{born},{died},Service User,"
            f"Physical Support: Personal Care Support,Request,R1Q{n},2023-05-0{1 + n % 9},"
            "2023-05-20,Progress to Support Planning / Services,Discharge from Hospital,,"
        )
        outcome = "NFA - Self-funded client (Inc. 12wk disregard)" if n % 11 == 0 else ""
        r1.append(
            f"503,L{n},,{practice},Female,White: Irish,{born},{died},Service User,"
            f"Physical Support: Personal Care Support,Service,R1S{n},2023-06-0{1 + n % 9},,"
            f"{outcome},,Long Term Support: Residential Care,Residential Care"
        )
        practice_2 = "C84001" if n % 7 == 0 else practice
        r2.append(
            f"503,M{n},{9000000000 + n},{practice_2},Male,White: Any other White background,"
            f"{born},,Service user,Physical support: Personal care support,"
            "Owner occupier or shared ownership scheme,Fully local authority funded,"
            f"Service,R2S{n},2024-07-0{1 + n % 9},,,,Long term support: Nursing care,Nursing care"
        )
    r2.append("503,C1,,,Female,,1950-01-01,,Unpaid carer known by association,,,,,,,,,,,")
    r2.append(
        "503,C2,,C83001,Female,,1950-01-01,,Unpaid carer,,,,Service,R2C1,2024-07-01,,,,"
        "Unpaid carer support: Direct to unpaid carer,"
    )
    files["cld_r1"] = folder / "cld-release-1.csv"
    files["cld_r1"].write_text("\n".join(r1) + "\n")
    files["cld_r2"] = folder / "cld-release-2.csv"
    files["cld_r2"].write_text("\n".join(r2) + "\n")
    return files


def _run(capsys, *argv: str) -> str:
    code = main(list(argv))
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "Traceback" not in out.err
    return out.out


def test_published_layouts_load_and_fill_the_report_and_dashboard(
    tmp_path, capsys, monkeypatch, client
):
    monkeypatch.setenv("CARETIES_PSEUDONYMISATION_KEY", KEY)
    files = _files(tmp_path)
    _run(capsys, "import", "local_authorities", "england")
    assert LocalAuthority.objects.get(la_code=LINCS).region == "East Midlands"
    _run(
        capsys,
        "import",
        "practices",
        str(files["epraccur"]),
        "--practice-councils",
        str(files["map"]),
    )
    assert Practice.objects.get(practice_code="C84001").la_code == NOTTS
    assert Practice.objects.filter(la_code=LINCS).count() == 4
    _run(capsys, "import", "registered_patients", str(files["patients"]))
    out = _run(capsys, "import", "population", str(files["population"]))
    assert "not a council with social services responsibilities" in out
    assert Population.objects.get(la_code=LINCS, year=2024).population_65_plus == 26 * 8200
    _run(capsys, "import", "events", str(files["cld_r1"]))
    out = _run(capsys, "import", "events", str(files["cld_r2"]))
    assert "1 carer row without an event" in out
    events = CareEvent.objects.filter(la_code=LINCS)
    assert events.count() == 60 * 3 + 1
    assert events.filter(age__isnull=True).exists()  # blank dates of birth kept
    assert events.filter(practice_code="C84001").exists()  # across the border
    assert events.filter(event_outcome="NFA: Self-funded client or under 12wk disregard").exists()
    assert events.filter(route_of_access="discharge_from_hospital").count() == 60

    report = _run(capsys, "report", "referrals", "--council", LINCS)
    assert "ASCOF 2C" in report
    assert "the target list is the top 25% of practices" in report
    assert "Target list: 0 of 0 GPs" not in report
    assert "C84001 (registered outside the council)" in report
    assert "Data quality" in report

    published = tmp_path / "ascof.csv"
    published.write_text(
        "Reporting_Period,LA_Code,LA_Name,Measure,Description,Group,Numerator,Denominator,Outcome\n"
        "1 Apr 24 - 31 Mar 25,503,Lincolnshire,ASCOF 2C,d,65 and above,56,213200,26.3\n"
        "1 Apr 24 - 31 Mar 25,E10000024,Nottinghamshire,ASCOF 2C,d,65 and above,40,200000,20.0\n"
    )
    peers = tmp_path / "peers.csv"
    peers.write_text("UTLA22NM,1\nLincolnshire,Nottinghamshire\n")
    compared = _run(
        capsys,
        "report",
        "referrals",
        "--council",
        LINCS,
        "--published",
        str(published),
        "--peers",
        str(peers),
    )
    assert "#2 Lincolnshire (council): 26.3 per 100,000" in compared
    assert "#1 Nottinghamshire (peer)" in compared
    assert "careties' figure 26.3 agrees with the published 26.3." in compared

    client.force_login(make_user("lead", Role.COUNCIL_LEAD, la_codes=[LINCS]))
    for page in ("council", "practices", "targeting", "relationships", "surveys"):
        response = client.get(url(page, la_code=LINCS))
        assert response.status_code == 200, page
    targeting = client.get(url("section_partial", la_code=LINCS, key="targeting")).content.decode()
    assert "the target list is the top 25% of practices by excess admissions" in targeting, (
        targeting[-3000:]
    )
    # The target list is a practice list: the top quartile by excess admissions, with reasons.
    assert "This is a list of practices, not GPs." in targeting
    page = client.get(url("targeting", la_code=LINCS)).content.decode()
    assert "This is a practice list, not a GP list." in page
    assert "practices are in the top quartile" in page and "GP None" not in page
    listed = client.get(url("section_json", la_code=LINCS, key="targeting")).json()
    header = listed["columns"] if "columns" in listed else listed["header"]
    assert "professional_id" not in str(header) and "Practice code" in str(header), header
    codes = {cell for row in listed["rows"] for cell in row if str(cell).startswith("C8")}
    assert codes and codes <= set(PRACTICES), codes
    assert any("admissions" in str(cell) for row in listed["rows"] for cell in row)  # reason
    # Across the border: marked, and named from the national practice file.
    outside = [row for row in listed["rows"] if "C84001" in row]
    assert outside and "registered outside the council" in outside[0], outside
    assert "SURGERY C84001" in outside[0], outside
    own = [row for row in listed["rows"] if "C83001" in row]
    assert own and "registered outside the council" not in own[0]
    assert "registered outside the council" in page
    export = client.get(url("section_export", la_code=LINCS, key="targeting", fmt="csv"))
    assert export.status_code == 200
    assert "Practice code" in export.content.decode().splitlines()[0]
    xlsx = client.get(url("section_export", la_code=LINCS, key="targeting", fmt="xlsx"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    # One action makes the top-quartile practices the programme's targeted practices.
    from careties.web.programme.models import Programme

    names = [str(h) for h in header]
    code_at = next(i for i, h in enumerate(names) if "Practice code" in h)
    flag_at = next(i for i, h in enumerate(names) if "Targeted" in h)
    chosen = {row[code_at] for row in listed["rows"] if row[flag_at] is True}
    assert chosen
    done = client.post(url("target_top_quartile", la_code=LINCS), follow=True)
    assert "the top quartile of practices by excess admissions" in done.content.decode()
    assert set(Programme.objects.get(la_code=LINCS).targeted_practices) == chosen, chosen
    # England, region and peers: the published files stored through `careties import`.
    out = _run(capsys, "import", "published_ascof", str(published))
    assert "imported 2 published_ascof rows" in out
    assert "imported 1 peer_groups rows" in _run(capsys, "import", "peer_groups", str(peers))
    bench = client.get(url("section_json", la_code=LINCS, key="benchmarks")).json()
    labels = {row[1]: row for row in bench["rows"]}
    assert labels["Nottinghamshire"][0] == 1 and labels["Lincolnshire"][0] == 2, labels
    assert {"England", "East Midlands"} <= set(labels), labels
    assert abs(labels["England"][5] - round(96 / 413200 * 100_000, 1)) < 0.05  # sum of councils
    section = client.get(url("section_partial", la_code=LINCS, key="benchmarks")).content.decode()
    assert "careties&#39; figure 26.3 agrees with the published 26.3." in section or (
        "careties' figure 26.3 agrees with the published 26.3." in section
    ), section[-2000:]
    overview = client.get(url("council", la_code=LINCS)).content.decode()
    assert "beside England, the region and peer councils" in overview
    # The BCF export carries the comparison and the data-quality counts.
    import io

    import openpyxl

    book = openpyxl.load_workbook(
        io.BytesIO(client.get(url("bcf_report", la_code=LINCS, fmt="xlsx")).content)
    )
    text = " ".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    assert "Nottinghamshire" in text and "agrees with the published 26.3" in text, text[:3000]
    assert "counted in ASCOF 2C (65+)" in text
    assert client.get(url("bcf_report", la_code=LINCS, fmt="pdf")).content[:4] == b"%PDF"
    quality = client.get(url("section_json", la_code=LINCS, key="data_quality"))
    assert quality.status_code == 200
    checks = {row[1]: row for row in quality.json()["rows"]}
    assert "counted in ASCOF 2C (65+)" in checks
    assert "practice registered outside the council" in checks
