"""Surveys of GPs, social care staff and older people, and their scoring.

Instruments (versioned YAML in ``definitions/``):

* :func:`load_instrument` ``(name, version=None, extra_services=()) -> Instrument``
  and :data:`INSTRUMENT_NAMES`; :func:`validate_answers` ``(instrument, answers)
  -> {question_id: message}`` for the web form.

Scoring (Polars frames in the ``survey_responses`` shape in, frames out; groups
with fewer than ``min_respondents`` (5) respondents come out with values null
and ``suppressed`` True):

* :func:`headline_indicators`: the Home Truths figures with Wilson intervals;
* :func:`relational_coordination`: Gittell's seven dimensions and index, both
  directions, with Cronbach's alpha and weak/moderate/strong bands;
* :func:`trust_gap`: the mirror questions compared;
* :func:`knowledge_matrix`: practice x service knowledge of local services;
* :func:`wave_change`: change between waves with an interval and a test;
* :func:`practice_relationship_scores`: per-practice RC and knowledge for
  relationship health;
* :func:`role_matrix` / :func:`role_pair_trend`: the ``roles`` survey, every role
  rating every role (their own included), the respondent floor per cell;
* :func:`cronbach_alpha`, :func:`cronbach_alpha_interval` (Feldt's interval); :func:`split_free_text` keeps comments apart from
  whatever could identify their author.

See docs/surveys.md.
"""

from careties.relations.surveys.change import wave_change
from careties.relations.surveys.coordination import (
    RC_STRONG_ABOVE,
    RC_WEAK_BELOW,
    rc_band,
    relational_coordination,
    respondent_rc_scores,
)
from careties.relations.surveys.indicators import (
    HOME_TRUTHS_FIGURES,
    headline_indicators,
    indicator_definitions,
)
from careties.relations.surveys.instruments import (
    INSTRUMENT_NAMES,
    RC_DIMENSIONS,
    SERVICE_TYPES,
    Instrument,
    InstrumentError,
    Question,
    Section,
    available_versions,
    load_instrument,
    validate_answers,
)
from careties.relations.surveys.knowledge import knowledge_matrix, practice_relationship_scores
from careties.relations.surveys.network_questions import NETWORK_QUESTIONS, named_ties
from careties.relations.surveys.privacy import (
    MIN_RESPONDENTS,
    split_free_text,
    suppress_small_groups,
)
from careties.relations.surveys.reliability import (
    AlphaInterval,
    ReliabilityError,
    cronbach_alpha,
    cronbach_alpha_interval,
    feldt_interval,
)
from careties.relations.surveys.responses import SurveyDataError
from careties.relations.surveys.roles import (
    RATED_ROLES,
    RESPONDENT_ROLES,
    ROLE_LABELS,
    role_matrix,
    role_matrix_change,
    role_pair_trend,
    role_ratings,
)
from careties.relations.surveys.trust import trust_gap
from careties.stats.differences import (
    newcombe_difference,
    two_proportion_p_value,
    welch_difference,
)

__all__ = [
    "AlphaInterval",
    "HOME_TRUTHS_FIGURES",
    "INSTRUMENT_NAMES",
    "MIN_RESPONDENTS",
    "NETWORK_QUESTIONS",
    "RATED_ROLES",
    "RC_DIMENSIONS",
    "RC_STRONG_ABOVE",
    "RC_WEAK_BELOW",
    "SERVICE_TYPES",
    "Instrument",
    "InstrumentError",
    "Question",
    "RESPONDENT_ROLES",
    "ROLE_LABELS",
    "ReliabilityError",
    "Section",
    "SurveyDataError",
    "available_versions",
    "cronbach_alpha",
    "cronbach_alpha_interval",
    "feldt_interval",
    "headline_indicators",
    "indicator_definitions",
    "knowledge_matrix",
    "load_instrument",
    "named_ties",
    "newcombe_difference",
    "practice_relationship_scores",
    "rc_band",
    "relational_coordination",
    "respondent_rc_scores",
    "role_matrix",
    "role_matrix_change",
    "role_pair_trend",
    "role_ratings",
    "split_free_text",
    "suppress_small_groups",
    "trust_gap",
    "two_proportion_p_value",
    "validate_answers",
    "wave_change",
    "welch_difference",
]
