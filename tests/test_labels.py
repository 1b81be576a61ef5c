"""The one map from codes to words (careties.labels): complete, consistent, never a raw code."""

from __future__ import annotations

import polars as pl
import pytest

from careties import labels
from careties.data import codes
from careties.labels import LABELS, TOPICS, label, label_expr
from careties.relations.network.graph import DEFAULT_CHANNEL_WEIGHTS, LAYERS
from careties.relations.surveys import ROLE_LABELS
from careties.relations.surveys.coordination import RC_LABELS

#: Every code list the files and the domain use, and the topic that must name it.
CODE_LISTS = {
    "service_type": (*codes.SERVICE_TYPES, *codes.SURVEY_SERVICE_TYPES),
    "route_of_access": codes.ROUTES_OF_ACCESS,
    "event_type": codes.EVENT_TYPES,
    "client_type": codes.CLIENT_TYPES,
    "role": (*codes.ROLES, *codes.SURVEY_RATED_ROLES),
    "agency": tuple(set(codes.ROLE_AGENCY.values())),
    "instrument": codes.SURVEY_INSTRUMENTS,
    "rc_dimension": codes.RC_DIMENSIONS,
    "tie_kind": (*codes.CONTACT_CHANNELS, *codes.CONTACT_PURPOSES),
}


@pytest.mark.parametrize("topic", sorted(CODE_LISTS))
def test_every_code_of_every_list_has_words(topic):
    unnamed = [c for c in CODE_LISTS[topic] if c not in TOPICS[topic]]
    assert not unnamed, f"{topic}: no words for {unnamed}"


def test_words_are_words_not_codes():
    for topic, words in TOPICS.items():
        for code, text in words.items():
            assert text and text[0].isupper(), (topic, code, text)
            assert "_" not in text, (topic, code, text)


def test_a_topic_decides_between_meanings_and_the_general_map_takes_the_first():
    assert label("gp", "role") == "GP"
    assert label("gp", "instrument") == "GPs"
    assert label("gp") == "GP"
    assert label("within", "agency_relation") == "Within one agency"
    assert label("within") == "Within limits"


def test_unknown_codes_are_put_into_words_and_other_text_is_left_alone():
    assert label("falls_prevention") == "Falls prevention"
    assert label("a_code_nobody_named") == "A code nobody named"
    for text in ("A81001", "E06000001", "Dr A Shah", "TEAM-N", "2025-W1", "telecare worker"):
        assert label(text) == text
    assert label(None) == ""
    with pytest.raises(KeyError):
        label("gp", "no_such_topic")


def test_the_polars_expression_agrees_with_the_function():
    values = ["falls_prevention", "gp", "A81001", None, "a_new_code", "within"]
    for topic in (None, "instrument", "agency_relation"):
        frame = pl.DataFrame({"code": values}).select(label_expr("code", topic))
        expected = [None if v is None else label(v, topic) for v in values]
        assert frame["code"].to_list() == expected


def test_the_domain_maps_are_views_of_the_one_map():
    assert all(ROLE_LABELS[r] == labels.ROLES[r] for r in ROLE_LABELS)
    assert RC_LABELS == labels.RC_DIMENSIONS
    assert {*DEFAULT_CHANNEL_WEIGHTS, *LAYERS} <= set(labels.TIE_KINDS)


def test_the_general_map_holds_every_topic():
    for words in TOPICS.values():
        assert set(words) <= set(LABELS)
