"""The Methods page: one entry per figure the dashboard shows, linked from each section.

Each entry says what the figure is (definition), where its data come from
(source), how it is worked out (formula), which way is better (polarity) and
the published method it follows (reference). The date of the data is the
footer line every page carries (``tasks.data_status_line``) and each section's
note. Every dashboard section links here ("About this figure"); a test checks
that every registered section has its entry.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Method:
    title: str
    definition: str
    source: str
    formula: str
    polarity: str
    reference: str


CLD = "Adult Social Care Client Level Data (care events), loaded by the council"
SURVEY = "careties' surveys of GPs, social care staff and older people (closed waves)"
CONTACTS = "Contacts between professionals logged by the council, and referrals in the care events"
HIGHER = "Higher is better."
LOWER = "Lower is better."
NEITHER = "Neither: it describes where to act."

ASCOF = Method(
    "ASCOF 2C: older people admitted to care homes",
    "Long-term support needs of older adults (65 and over) met by admission to residential "
    "and nursing care homes, per 100,000 population aged 65 and over (formerly ASCOF 2A(2)).",
    f"{CLD}; ONS mid-year population estimates aged 65 and over.",
    "Permanent admissions in the financial year / population 65+ x 100,000; 95% interval by "
    "Byar's method (exact Poisson for small counts).",
    LOWER,
    "NHS England, Adult Social Care Outcomes Framework handbook of definitions; "
    "Public Health England, PHEindicatormethods (Byar).",
)
FUNNEL = Method(
    "Funnel plot of practices",
    "Each practice's admissions of its patients aged 65 and over to care homes, per 1,000 "
    "registered patients aged 65 and over, against the council's average.",
    f"{CLD}; NHS Digital, Patients Registered at a GP Practice (65 and over).",
    "Rate = admissions / patients 65+ x 1,000; control limits at 95% and 99.8% around the "
    "council rate (Poisson), widened for overdispersion where the data show it. Practices "
    "outside the 99.8% limits are coloured and named.",
    LOWER,
    "Spiegelhalter (2005) Statistics in Medicine 24:1185-1202; NHS-R FunnelPlotR.",
)
SPC = Method(
    "Statistical process control chart",
    "Monthly counts over time with the centre line and natural process limits, and the "
    "Making Data Count icons for variation and assurance.",
    CLD,
    "XmR chart: mean and limits at mean +/- 2.66 x mean moving range; special cause rules: a "
    "point outside the limits, 7 in a row on one side, 7 rising or falling, 2 of 3 beyond 2 "
    "sigma on one side.",
    LOWER,
    "NHS England, Making Data Count; NHS-R NHSRplotthedots.",
)
RATES = Method(
    "Admissions and alternatives over time",
    "New permanent care home admissions and new starts of community alternatives "
    "(reablement, home care, telecare) for the practice's patients aged 65 and over.",
    CLD,
    "Counts per quarter; rates per 1,000 patients 65+.",
    "Fewer admissions and more alternatives is better.",
    "ASCOF 2C and 2D definitions (NHS England).",
)
TARGETING = Method(
    "The targeting score",
    "Which GPs to work with first: those whose older patients go into care homes more than "
    "expected, who are influential in the professional network and whose relationship with "
    "adult social care is weak. The top quarter by score is the target set.",
    f"{CLD}; registered patients; {CONTACTS}; {SURVEY}.",
    "Score = (w1 x referral potential + w2 x network influence + w3 x relationship weakness) "
    "/ (w1 + w2 + w3) over the components present, each 0 to 1; referral potential from "
    "admissions against the number expected for the practice's age mix (indirect "
    "standardisation), influence from network centrality ranked within the council, "
    "weakness = 1 - (relational coordination - 1) / 4. Weights are shown in the list's note.",
    "Higher means work with this GP sooner.",
    "Home Truths (iMPOWER, 2014) for the top 25%; Gittell (2000) for relational coordination.",
)
SAVINGS = Method(
    "The savings scenario",
    "What working with the targeted GPs could save: older people kept out of care homes a "
    "year, and the net saving, each figure with its unit. Per stay: a person kept out avoids "
    "a whole stay (the average stay, two years by default), so the saving per person per "
    "stay is the saving per person per year x the stay in years. Per year: the net saving a "
    "year counts each year's people once, for their whole stay, so it is the saving per "
    "year once the programme has run longer than an average stay; the first year saves less. "
    "Home Truths states its £10,067 per person per year, with no length of stay.",
    "The council's unit costs as its council lead saved them under Programme, Savings unit "
    "costs, each with its source and date; careties' defaults until then (average stay after "
    "Forder and Fernández 2011; weekly costs illustrative, to be replaced with the council's "
    "ASC-FR figures). GPs from the council's professionals file.",
    "People a year = GPs targeted x admissions avoided per GP a year; care home weekly cost = "
    "(1 - nursing share) x residential + nursing share x nursing; net saving per person per "
    "stay = care home weekly cost x weeks of stay - community weekly cost x weeks of support; "
    "per person per year = per stay / (weeks of stay / 52); net saving a year = people a "
    "year x per stay; first year = people a year x weekly net x (L - L^2/104) weeks for a "
    "stay of L under 52 weeks, else 26. The 5th and 95th centiles come from 2,000 Monte "
    "Carlo draws of the uncertain inputs (admissions avoided +/- 25%, stay +/- 20%, unit "
    "costs +/- 10%, one standard deviation).",
    HIGHER,
    "iMPOWER, Home Truths (Community Care, 2014): 60,000 people, £604m a year in England; "
    "Forder and Fernández (2011) PSSRU Discussion Paper 2769 for the length of stay.",
)
HEADLINES = Method(
    "Survey indicators",
    "The share of respondents answering yes (or agree) to each headline question, such as "
    "GPs rating their relationship with adult social care good.",
    SURVEY,
    "Percent = yes / answered x 100 with Wilson score 95% intervals; results from fewer than "
    "5 respondents are never shown. Each figure uses the latest closed wave with at least 5 "
    "respondents unless you choose a wave.",
    "Higher is better for every indicator shown.",
    "Wilson (1927); PHEindicatormethods; Home Truths GP survey (2013) for comparison.",
)
RC = Method(
    "Relational coordination",
    "How well GPs and social care work together, in each direction: frequent, timely, "
    "accurate, problem-solving communication, shared goals, shared knowledge, mutual respect.",
    SURVEY,
    "Mean of seven items on a 1 to 5 scale; weak below 3.5, strong above 4.0; Cronbach's alpha "
    "for reliability with Feldt's interval. Groups of fewer than 5 respondents are not shown.",
    HIGHER,
    "Gittell et al. (2000) Medical Care 38(8):807-819; Cronbach (1951); Feldt (1965).",
)
HEALTH = Method(
    "The relationship health score",
    "One 0 to 100 score per practice for its relationship with adult social care, with each "
    "of its three parts shown beside it.",
    f"{SURVEY}; {CONTACTS}.",
    "Score = 100 x (0.4 x relational coordination + 0.4 x network ties + 0.2 x knowledge of "
    "services) / the weights present; relational coordination rescaled (rc - 1) / 4; network "
    "ties = s / (s + 6) where s sums the practice's tie strengths with social care teams "
    "from logged contacts and survey-named ties in the 365 days to the quarter end (recent "
    "contacts count most), so a practice with many contacts has a high ties part; referrals "
    "in the care records are shown beside the ties but not counted (they measure how often a "
    "practice refers, not whether it works with social care); a part not collected is left "
    "out and its weight shared by the others. The practice page's ties table covers the same "
    "year and sources as its latest score.",
    HIGHER,
    "careties' own composite; relational coordination after Gittell (2000).",
)
NETWORK = Method(
    "The professional network",
    "Who works with whom: practices, GPs and social care teams, joined by ties from logged "
    "contacts and referrals.",
    CONTACTS,
    "Tie strength = contacts weighted by recency (half-life 180 days); influence = "
    "betweenness and degree centrality; communities by the Louvain method; effective size "
    "and efficiency after Burt. Missing ties are listed, not drawn.",
    "More and stronger ties between practices and social care is better.",
    "Burt (1992) Structural Holes; Blondel et al. (2008) for Louvain; NetworkX.",
)
KNOWLEDGE = Method(
    "Knowledge of local services",
    "How much the practice's GPs know of each kind of local service: nothing, heard of it, "
    "know it well, have referred.",
    "careties' GP survey (latest closed wave with at least 5 of the practice's GPs).",
    "Share of the practice's GPs at each level, per service.",
    "More GPs who know services well or have referred is better.",
    "Home Truths GP survey (2013): half of GPs knew nothing of local telecare.",
)
LINKAGE = Method(
    "Relationships and admissions, linked",
    "Whether practices with stronger relationships with social care admit fewer older "
    "patients to care homes.",
    f"{CLD}; {SURVEY}; {CONTACTS}.",
    "A negative binomial regression of each practice's care home admissions on its "
    "relationship measure, with the 65+ list size as exposure and adjustments where "
    "available; the rate ratio with its 95% interval. An association, not proof of cause.",
    NEITHER,
    "Negative binomial regression (statsmodels); Hilbe (2011) Negative Binomial Regression.",
)
SIGNPOSTING = Method(
    "Sign-posting to local services",
    "Local services in the council's directory by type, and how many people this practice's "
    "GPs sign-posted to each.",
    "The service directory (Open Referral UK) and sign-posts recorded in careties.",
    "Counts by type of service.",
    "More sign-posting to suitable services is better.",
    "Open Referral UK data standard.",
)

PLEDGE = Method(
    "The Home Truths pledge",
    "The five commitments of the pledge, who has signed them, and whether careties holds "
    "evidence behind each this quarter.",
    "Pledge signatures, the action plan, logged activities, contacts, survey answers and "
    "sign-posts recorded in careties.",
    "A commitment has evidence when its rule is met this quarter: for example relationship "
    "data, met by any contacts or survey answers recorded in the quarter.",
    "All five with evidence is best.",
    "iMPOWER, GP - social worker relationships and care integration (Home Truths pledge).",
)

BENCHMARKS = Method(
    "ASCOF 2C beside England, the region and peer councils",
    "The council's published ASCOF 2C beside England's, its region's and its 15 nearest "
    "neighbours' (NHS England's adult social care peer groups), ranked, with a line saying "
    "whether careties' own figure from the council's Client Level Data agrees with the "
    "published one for the same year.",
    "NHS England's published ASCOF file and peer groups (NHSDigital/ASC_LA_Peer_Groups), "
    "loaded with careties import published_ascof and peer_groups; careties' own ASCOF 2C.",
    "Published numerator / denominator x 100,000 per council; 95% interval by Byar's method "
    "(exact Poisson below 10); agreement when the two figures round to the same 0.1.",
    LOWER,
    "DHSC ASCOF handbook of definitions; DataS-DHSC/ASC-CLD-LA-Dashboard ASCOF_measures SQL.",
)

DATA_QUALITY = Method(
    "Data quality: who each ASCOF rule left out",
    "Residential and nursing services starting in the year, each under the first ASCOF rule "
    "it fails (not a service user, blank date of birth, died before the service or period, "
    "self-funded, not new within the look-back, under 18), then those counted in 2B and 2C; "
    "across all events, blank dates "
    "of birth, values outside their code lists, and practices outside the council or not "
    "loaded.",
    CLD,
    "Counts of rows and of people per reason; counts from 1 to 7 shown as * and others "
    "rounded to 5 outside the council.",
    "Lower is better for every reason except the counted rows.",
    "DHSC's CLD cleaning and ASCOF_measures SQL (DataS-DHSC/ASC-CLD-LA-Dashboard).",
)

#: Each dashboard section's entry; several sections share one method.
METHODS: dict[str, Method] = {
    "ascof": ASCOF,
    "regional_ascof": ASCOF,
    "spc": SPC,
    "funnel": FUNNEL,
    "practice_funnel": FUNNEL,
    "practice_rates": RATES,
    "targeting_head": TARGETING,
    "targeting": TARGETING,
    "savings": SAVINGS,
    "practice_signposting": SIGNPOSTING,
    "survey_headlines": HEADLINES,
    "survey_indicators": HEADLINES,
    "regional_surveys": HEADLINES,
    "wave_change": Method(
        "Wave against wave",
        "The change in each survey indicator between two waves.",
        SURVEY,
        "Percentages: difference with Newcombe's hybrid score interval; relational "
        "coordination: Welch's t-test. Waves treated as independent samples.",
        "A rise is better for every indicator shown.",
        "Newcombe (1998) Statistics in Medicine 17:873-890; Welch (1947).",
    ),
    "rc_directions": RC,
    "rc_roles": RC,
    "rc_role_pair": RC,
    "rc_roles_change": RC,
    "network": NETWORK,
    "network_change": NETWORK,
    "practice_ties": NETWORK,
    "team_ties": NETWORK,
    "health_trends": HEALTH,
    "weakened": HEALTH,
    "practice_health": HEALTH,
    "practice_knowledge": KNOWLEDGE,
    "linkage": LINKAGE,
    "regional_linkage": LINKAGE,
    "pledge_status": PLEDGE,
    "benchmarks": BENCHMARKS,
    "data_quality": DATA_QUALITY,
}


def entries() -> list[tuple[str, Method, list[str]]]:
    """Each method once, with the section keys (anchors) that use it, in page order."""
    seen: dict[int, tuple[str, Method, list[str]]] = {}
    for key, method in METHODS.items():
        if id(method) not in seen:
            seen[id(method)] = (key, method, [])
        seen[id(method)][2].append(key)
    return list(seen.values())


def anchor(key: str) -> str:
    """The Methods page anchor a section's "About this figure" link goes to."""
    method = METHODS.get(key)
    if method is None:
        return "figures"
    return next(first for first, m, _ in entries() if m is method)
