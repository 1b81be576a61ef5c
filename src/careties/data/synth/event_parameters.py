"""The synthetic world's event parameters: outcomes, routes, rates and shares.

Kept apart from :mod:`careties.data.synth.events` (which draws the events) so
the numbers a reader checks against the planted truths sit on one page. The
rates are per registered patient a year; the shares are of episodes.
"""

from __future__ import annotations

import numpy as np

from careties.data.codes import NON_RESIDENTIAL_SERVICE_TYPES

OUTCOMES = ("residential", *NON_RESIDENTIAL_SERVICE_TYPES, "advice", "no_eligible_needs")
RESIDENTIAL, HOME_CARE, REABLEMENT = 0, 1, 2
ALTERNATIVES = (1, 2, 3, 4)
ADVICE, NO_ELIGIBLE = 7, 8
#: Episodes a year per registered patient 65+ (row 0) and 18-64 (row 1), by outcome.
#: 0.0060 residential per registered 65+ is about 600 per 100,000 resident 65+ after
#: self-funders are excluded (Northby admits a little above the England rate).
RATES = np.array(
    [
        [0.0060, 0.012, 0.010, 0.006, 0.003, 0.002, 0.001, 0.030, 0.010],
        [0.00012, 0.0012, 0.0004, 0.0003, 0.0006, 0.0012, 0.0002, 0.004, 0.0015],
    ]
)
ROUTES = ("community", "discharge_from_hospital", "other")
COMMUNITY, DISCHARGE, OTHER_ROUTE = 0, 1, 2
#: Route of access by outcome: most admissions follow a GP's (community) referral
#: in this council's story; reablement mostly follows hospital discharge.
ROUTE_SHARE = np.array(
    [
        [0.65, 0.30, 0.05],
        [0.50, 0.45, 0.05],
        [0.30, 0.65, 0.05],
        [0.80, 0.10, 0.10],
        [0.85, 0.05, 0.10],
        [0.80, 0.05, 0.15],
        [0.70, 0.10, 0.20],
        [0.80, 0.10, 0.10],
        [0.70, 0.20, 0.10],
    ]
)
#: Share of community requests that name the referring GP.
GP_NAMED_SHARE = 0.80
#: Share of hospital discharges that name the patient's GP (the discharge summary's
#: GP), and of the rest that name the discharging consultant.
GP_ON_DISCHARGE_SHARE = 0.25
CONSULTANT_NAMED_SHARE = 0.35
#: Routes on which the GP's propensity acts: GP-originated requests, and
#: discharges, because older people and families ask their GP before agreeing
#: to a care home (Home Truths: after family, people turn to their GP).
PROPENSITY_ROUTES = (0, 1)
PRACTICE_KNOWN_SHARE = np.array([0.98, 0.95, 0.90])
#: Residential placements that are nursing rather than residential care.
NURSING_SHARE = 0.40
SELF_FUNDED_SHARE = 0.04
TRANSFER_SHARE = 0.25
REVIEW_SHARE = 0.80
#: Patients of over-referring GPs are offered fewer community alternatives.
OVER_REFERRER_ALTERNATIVES = 0.80

SELF_FUNDED = "NFA: Self-funded client or under 12wk disregard"
REQUEST_OUTCOME = {
    "advice": "NFA: Information and advice or signposting",
    "reablement": "Progress to reablement/ST-Max",
    "default": "Progress to assessment",
}
ASSESSMENT_OUTCOME = {
    "no_eligible_needs": "NFA: No eligible needs",
    "default": "Progress to support planning or services",
}
REVIEW_OUTCOMES = ("Continue with current services", "Change in services")

#: Lookup tables for the coded columns; index 0 is null where a column may be null.
EVENT_TABLE = ("request", "assessment", "service", "review")
SERVICE_TABLE = (None, "long_term_residential", *NON_RESIDENTIAL_SERVICE_TYPES, "long_term_nursing")
OUTCOME_TABLE = (
    None,
    REQUEST_OUTCOME["advice"],
    REQUEST_OUTCOME["reablement"],
    REQUEST_OUTCOME["default"],
    ASSESSMENT_OUTCOME["no_eligible_needs"],
    ASSESSMENT_OUTCOME["default"],
    SELF_FUNDED,
    *REVIEW_OUTCOMES,
)

#: Age bands (start age, weight) of people 65+ entering residential care and other support.
_AGE_START = np.array([65, 70, 75, 80, 85, 90, 95])
_AGE_RESIDENTIAL = np.array([0.05, 0.08, 0.14, 0.22, 0.27, 0.18, 0.06])
_AGE_OTHER = np.array([0.12, 0.16, 0.20, 0.22, 0.18, 0.09, 0.03])
#: Mean service length in days (exponential) by outcome; reablement about six weeks.
_SERVICE_DAYS = np.array([900, 300, 42, 1100, 600, 900, 90, 0, 0])
