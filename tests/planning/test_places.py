"""Postcodes and distances: the ONS Postcode Directory layout, and haversine against a published value."""

from __future__ import annotations

import pytest

from careties.planning.oruk_api import service_at_location_items
from careties.planning.places import (
    EARTH_RADIUS_M,
    PostcodeFileError,
    haversine_m,
    is_postcode,
    normalise_postcode,
    read_postcode_file,
)


def test_haversine_matches_the_published_worked_example():
    # Rosetta Code "Haversine formula": Nashville BNA (36.12, -86.67) to Los Angeles LAX
    # (33.94, -118.40) on a sphere of radius 6372.8 km is 2887.2599506071106 km.
    assert haversine_m((36.12, -86.67), (33.94, -118.40), radius=6_372_800) == pytest.approx(
        2_887_259.9506071106, abs=1e-3
    )


def test_haversine_basics():
    assert haversine_m((54.0, -1.0), (54.0, -1.0)) == 0
    # one degree of latitude on the mean-radius sphere: 2 * pi * R / 360
    assert haversine_m((54.0, -1.0), (55.0, -1.0)) == pytest.approx(
        2 * 3.141592653589793 * EARTH_RADIUS_M / 360
    )
    assert haversine_m((0, 0), (0, 180)) == pytest.approx(3.141592653589793 * EARTH_RADIUS_M)


ONSPD = (
    "pcd,pcd2,pcds,dointr,doterm,oscty,oslaua,osward,lat,long\n"
    "TS248AY,TS24 8AY,TS24 8AY,198001,,E99999999,E06000001,E05008942,54.685600,-1.210800\n"
    "TS25 1AA,TS25 1AA,TS25 1AA,198001,,E99999999,E06000001,E05008943,54.650000,-1.230000\n"
    "TS99 9ZZ,TS99 9ZZ,TS99 9ZZ,198001,202001,E99999999,E06000001,E05008943,54.6,-1.2\n"
    "TS26 0ZZ,TS26 0ZZ,TS26 0ZZ,198001,,E99999999,E06000001,E05008943,99.999999,0.000000\n"
)


def test_onspd_layout_reads_by_column_name_and_skips_terminated_and_ungridded():
    frame = read_postcode_file(ONSPD.encode())
    assert frame["postcode"].to_list() == ["TS248AY", "TS251AA"]
    assert frame.row(0, named=True) == {
        "postcode": "TS248AY",
        "latitude": 54.6856,
        "longitude": -1.2108,
        "la_code": "E06000001",
    }


def test_newer_onspd_column_names_are_read_too():
    frame = read_postcode_file(
        "pcd7,pcds,doterm,lad25cd,lat,long\nX,TS1 1AA,,E06000002,54.5,-1.2\n"
    )
    assert frame.row(0, named=True)["la_code"] == "E06000002"


def test_bad_rows_are_named_by_file_row_and_column_and_nothing_is_loaded():
    bad = ONSPD + "NOT A CODE,,NOT A CODE,,,,,,54,-1\nTS27 1AA,,TS27 1AA,,,,,,north,-1\n"
    with pytest.raises(PostcodeFileError) as caught:
        read_postcode_file(bad, "extract.csv")
    assert caught.value.problems == [
        "extract.csv row 6 column pcds: 'NOT A CODE' is not a UK postcode",
        "extract.csv row 7 column lat: 'north' is not a latitude",
    ]
    with pytest.raises(PostcodeFileError, match="no column lat"):
        read_postcode_file("pcds,long\nTS1 1AA,-1\n")


def test_postcode_forms():
    assert normalise_postcode(" ts24  8ay") == "TS248AY"
    assert is_postcode("TS24 8AY") and is_postcode("sw1a1aa") and not is_postcode("TS24")


def test_service_at_locations_nearest_first_within_proximity():
    def service(sid, name, lat, lon):
        return {
            "id": sid,
            "name": name,
            "status": "active",
            "service_at_locations": [
                {
                    "id": sid[:-1] + "f",
                    "location": {
                        "id": sid[:-1] + "e",
                        "location_type": "physical",
                        "latitude": lat,
                        "longitude": lon,
                    },
                }
            ],
        }

    docs = [
        service("00000000-0000-4000-8000-000000000001", "Far", 54.70, -1.20),
        service("00000000-0000-4000-8000-000000000002", "Near", 54.651, -1.23),
        service("00000000-0000-4000-8000-000000000003", "Middle", 54.66, -1.23),
    ]
    items = service_at_location_items(docs, (54.65, -1.23))
    assert [i["service"]["name"] for i in items] == ["Near", "Middle", "Far"]
    assert items[0]["distance"] == round(haversine_m((54.65, -1.23), (54.651, -1.23)))
    within = service_at_location_items(docs, (54.65, -1.23), proximity=2000)
    assert [i["service"]["name"] for i in within] == ["Near", "Middle"]
