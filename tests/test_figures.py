"""Figure rules, one literal sentence each (our own words), near misses included.

Each case: a sentence and the figures it holds as (metric, value, year, qualifier), read with
2019 as the default year (an edition of 2020). Values are km2 for areas.
"""

from __future__ import annotations

import pytest

from extractor import figures
from extractor.model import Block

DEFAULT_YEAR = 2019


def read(sentence: str, default: int | None = DEFAULT_YEAR) -> list[tuple]:
    return [
        (f.metric, f.value, f.year, f.qualifier)
        for f in figures.from_sentence(sentence, 1, 0, default)
    ]


# --- the phrasings of SOURCES.md ---------------------------------------------------------

PHRASINGS = [
    # "In <year>, X km2 of <CMR> land was cleared, and N submunitions destroyed"
    (
        "In 2018, 2.45km2 of cluster munition-contaminated land was cleared, and 4,112 "
        "submunitions destroyed.",
        [
            ("area_cleared", 2.45, 2018, None),
            ("submunitions_destroyed", 4112.0, 2018, None),
        ],
    ),
    # released total, then its parts by method; a mixed method is no single metric
    (
        "Just more than 6.2km2 of land was released in 2017; 5.1km2 by clearance and technical "
        "survey, and an 1.1km2 cancelled by non-technical survey (NTS).",
        [
            ("area_released", 6.2, 2017, "more_than"),
            ("area_cancelled", 1.1, 2017, None),
        ],
    ),
    # label/value line of a Monitor profile
    (
        "0.8km2 cleared, 1.25km2 reduced and 3.4km2 cancelled",
        [
            ("area_cleared", 0.8, DEFAULT_YEAR, None),
            ("area_reduced", 1.25, DEFAULT_YEAR, None),
            ("area_cancelled", 3.4, DEFAULT_YEAR, None),
        ],
    ),
    # old style square metres, a coordinated second area, counts after a verb
    (
        "In 2002 the three operators cleared a total of 412,300 square meters of mined land and "
        "about 31 million square meters of battle area, destroying 2,204 antipersonnel mines, "
        "97 antivehicle mines, and 18,650 UXO.",
        [
            ("area_cleared", 0.4123, 2002, None),
            ("area_cleared", 31.0, 2002, "approximately"),
            ("ap_mines_destroyed", 2204.0, 2002, None),
            ("av_mines_destroyed", 97.0, 2002, None),
            ("erw_destroyed", 18650.0, 2002, None),
        ],
    ),
    # contamination label: CHA and SHA side by side
    (
        "9.4km2 CHA and 2.1km2 SHA",
        [
            ("confirmed_hazardous_area", 9.4, DEFAULT_YEAR, None),
            ("suspected_hazardous_area", 2.1, DEFAULT_YEAR, None),
        ],
    ),
    # "Unknown, but massive. At least, 500km2 CHA has been identified" (a stock)
    (
        "Extent unknown, but very large. At least, 350km2 CHA has been identified.",
        [("confirmed_hazardous_area", 350.0, DEFAULT_YEAR, "at_least")],
    ),
]


@pytest.mark.parametrize("sentence,expected", PHRASINGS)
def test_sources_phrasings(sentence, expected):
    assert read(sentence) == expected


# --- metrics ----------------------------------------------------------------------------

METRICS = [
    ("Clearance of 3.2km2 was completed in 2019.", [("area_cleared", 3.2, 2019, None)]),
    ("Operators released 14.7km2 in 2019.", [("area_released", 14.7, 2019, None)]),
    (
        "Some 2.3km2 was reduced through technical survey in 2019.",
        [("area_reduced", 2.3, 2019, "approximately")],
    ),
    (
        "Non-technical survey cancelled 48.1km2 in 2019.",
        [("area_cancelled", 48.1, 2019, None)],
    ),
    (
        "In 2019, 0.9km2 of land was released through clearance.",
        [("area_cleared", 0.9, 2019, None)],
    ),
    (
        "In 2019, 3.3km2 was released by technical survey and 1.2km2 by non-technical survey.",
        [("area_reduced", 3.3, 2019, None), ("area_cancelled", 1.2, 2019, None)],
    ),
    (
        "At the end of 2019, the country had 41km2 of confirmed hazardous area.",
        [("confirmed_hazardous_area", 41.0, 2019, None)],
    ),
    (
        "Suspected hazardous areas covering 7.5km2 remained at the end of 2019.",
        [("suspected_hazardous_area", 7.5, 2019, None)],
    ),
    (
        "A further 4km2 is suspected to contain mines.",
        [("suspected_hazardous_area", 4.0, DEFAULT_YEAR, None)],
    ),
    (
        "Total remaining contamination stood at 96.4km2 as of end 2019.",
        [("contaminated_area", 96.4, 2019, None)],
    ),
    (
        "Confirmed hazardous area totalled 1,212km2 at the end of 2019.",
        [("confirmed_hazardous_area", 1212.0, 2019, None)],
    ),
    (
        "In 2019, 1,044 anti-personnel mines and 12 anti-vehicle mines were destroyed.",
        [("ap_mines_destroyed", 1044.0, 2019, None), ("av_mines_destroyed", 12.0, 2019, None)],
    ),
    (
        "Teams found and destroyed 623 items of unexploded ordnance in 2019.",
        [("erw_destroyed", 623.0, 2019, None)],
    ),
    # casualties are a figure in a label line only: "casualties in narrative" are not (SOURCES.md)
    ("Mine/ERW casualties in 2019: 18", [("casualties", 18.0, 2019, None)]),
    ("Submunitions destroyed: 877", [("submunitions_destroyed", 877.0, DEFAULT_YEAR, None)]),
    (
        "At the end of 2019, the country had 1,402.6km2 of confirmed CMR-contaminated area.",
        [("confirmed_hazardous_area", 1402.6, 2019, None)],
    ),
    (
        "Of the 120km2 of contamination, 95km2 is CHA.",
        [
            ("contaminated_area", 120.0, DEFAULT_YEAR, None),
            ("confirmed_hazardous_area", 95.0, DEFAULT_YEAR, None),
        ],
    ),
    (
        "Mine contamination at the end of 2019 was estimated to cover 8.2km2 across 40 CHAs.",
        [("contaminated_area", 8.2, 2019, "estimate")],
    ),
    # each verb keeps its own quantity across "and"
    (
        "Testland cleared 12.4 million square metres of mined area and cancelled a further "
        "3.3km2 in 2019.",
        [("area_cleared", 12.4, 2019, None), ("area_cancelled", 3.3, 2019, None)],
    ),
    (
        "Clearance output in 2019 totalled 2.6km2, down from 3.1km2 in 2018.",
        [("area_cleared", 2.6, 2019, None), ("area_cleared", 3.1, 2018, None)],
    ),
    # phrasings of the held-out documents (tests/heldout): other writers, other editions
    (
        "TMAC reported clearing 0.66km2 and reducing another 0.17km2 through technical survey.",
        [("area_cleared", 0.66, 2019, None), ("area_reduced", 0.17, 2019, None)],
    ),
    (
        "The agency reported 207km2 of confirmed and 74km2 of suspected hazardous area.",
        [
            ("confirmed_hazardous_area", 207.0, 2019, None),
            ("suspected_hazardous_area", 74.0, 2019, None),
        ],
    ),
    (
        "At the end of 2016, Testland reported just over 103km2 of mined area confirmed by "
        "survey, with a further 74km2 still suspected.",
        [
            ("confirmed_hazardous_area", 103.0, 2016, "more_than"),
            ("suspected_hazardous_area", 74.0, 2016, None),
        ],
    ),
    (
        "At the end of 2022, Testland reported mined areas of approximately 128.3km2, of "
        "which 104.6km2 had been confirmed as mined and the remaining 23.7km2 was only "
        "suspected.",
        [
            ("contaminated_area", 128.3, 2022, "approximately"),
            ("confirmed_hazardous_area", 104.6, 2022, None),
            ("suspected_hazardous_area", 23.7, 2022, None),
        ],
    ),
    (
        "By the end of 2019, the known contamination covered just over 4.86km2, all of it "
        "confirmed through earlier survey.",
        [("confirmed_hazardous_area", 4.86, 2019, "more_than")],
    ),
    # land release as the head noun, clearance that released, stocks named before their
    # quantity, a method as a label, and a year that names a campaign
    (
        "In 2019, total land release from clearance and survey came to 64.3km2.",
        [("area_released", 64.3, 2019, None)],
    ),
    (
        "In 2019, battle area clearance (BAC) released another 28.7km2.",
        [("area_cleared", 28.7, 2019, None)],
    ),
    (
        "Testland reported total mined area of 726.22km2 at the end of 2019.",
        [("contaminated_area", 726.22, 2019, None)],
    ),
    (
        "Remnants left by the 1999 campaign covered a total of 2.35km2 at the end of 2019.",
        [("contaminated_area", 2.35, 2019, None)],
    ),
    (
        "In 2019, Testland estimated that around 7,000km² of land in two regions may require "
        "survey and clearance.",
        [("contaminated_area", 7000.0, 2019, "approximately")],
    ),
    ("Technical survey: 0.58km²", [("area_reduced", 0.58, 2019, None)]),
    # the parts after a colon keep their own verbs, and "<year>, when ..." dates its clause
    (
        "In 2019, a total of 6.83km2 was released: 5.97km2 was cleared and 0.86km2 was reduced "
        "through technical survey.",
        [
            ("area_released", 6.83, 2019, None),
            ("area_cleared", 5.97, 2019, None),
            ("area_reduced", 0.86, 2019, None),
        ],
    ),
    (
        "Clearance destroyed 1,942 submunitions in 2019, down from 2,377 in 2018, when 6.53km2 "
        "was cleared and 0.37km2 reduced.",
        [
            ("submunitions_destroyed", 1942.0, 2019, None),
            ("submunitions_destroyed", 2377.0, 2018, None),
            ("area_cleared", 6.53, 2018, None),
            ("area_reduced", 0.37, 2018, None),
        ],
    ),
    # "<year>, when ..." after a word that is no date lead ("an increase on 2017, when")
    (
        "This was a clear increase on 2018, when only 0.21km2 was cleared.",
        [("area_cleared", 0.21, 2018, None)],
    ),
    # a quantity's noun phrase stops at a colon: the CHA after it is a part, not its kind
    (
        "In 2019, Testland had 1.46km2 of mined area: two confirmed hazardous areas (CHAs) "
        "totalling 0.52km2 and two suspected hazardous areas (SHAs) covering 0.94km2.",
        [
            ("contaminated_area", 1.46, 2019, None),
            ("confirmed_hazardous_area", 0.52, 2019, None),
            ("suspected_hazardous_area", 0.94, 2019, None),
        ],
    ),
    (
        "In 2019, 1,250,000m² of battle area believed to hold unexploded submunitions along "
        "the old front line near two towns is recorded as suspected hazardous area.",
        [("suspected_hazardous_area", 1.25, 2019, None)],
    ),
    (
        "Survey teams had confirmed 118.6km2 of CMR-contaminated land by the end of 2016.",
        [("confirmed_hazardous_area", 118.6, 2016, None)],
    ),
    (
        "At the end of 2022, about 878km² of land was still suspected or confirmed to contain "
        "mines.",
        [("contaminated_area", 878.0, 2022, "approximately")],
    ),
    (
        "The government estimated that 139,300km2 of its territory was potentially "
        "contaminated at the end of 2023.",
        [("contaminated_area", 139300.0, 2023, "estimate")],
    ),
    (
        "Land released in 2016 came to 1.27km2, of which 0.92km2 was cleared.",
        [("area_released", 1.27, 2016, None), ("area_cleared", 0.92, 2016, None)],
    ),
    (
        "Land release output in 2021 totalled 5.6km2, nearly all of it through clearance (5.2km2).",
        [("area_released", 5.6, 2021, None), ("area_cleared", 5.2, 2021, None)],
    ),
    ("Clearance accounted for 6.02km2 in 2011.", [("area_cleared", 6.02, 2011, None)]),
    (
        "Between 2011 and 2013, teams cleared a total of 1.47km2 at the two recorded strike "
        "sites and destroyed 140 submunitions.",
        [("area_cleared", 1.47, 2013, None), ("submunitions_destroyed", 140.0, 2013, None)],
    ),
    (
        "Just under 3.1km² was released, of which roughly 2.3km² by clearance and 640,000 m² by "
        "technical survey.",
        [
            ("area_released", 3.1, 2019, "less_than"),
            ("area_cleared", 2.3, 2019, "approximately"),
            ("area_reduced", 0.64, 2019, None),
        ],
    ),
    (
        "Roughly 1.1km2 was released, comprising 0.35km2 of clearance and 0.75km2 cancelled.",
        [
            ("area_released", 1.1, 2019, "approximately"),
            ("area_cleared", 0.35, 2019, None),
            ("area_cancelled", 0.75, 2019, None),
        ],
    ),
    (
        "Clearance accounted for 4.8km2, technical survey for a further 1.9km2.",
        [("area_cleared", 4.8, 2019, None), ("area_reduced", 1.9, 2019, None)],
    ),
    (
        "In 2020, 3,912 submunitions were destroyed, up from 2,804 in 2019.",
        [
            ("submunitions_destroyed", 3912.0, 2020, None),
            ("submunitions_destroyed", 2804.0, 2019, None),
        ],
    ),
    (
        "The database listed 13 CHAs covering a combined 0.94km2; KEY: 0.94KM2 CHA RECORDED.",
        [
            ("confirmed_hazardous_area", 0.94, 2019, None),
            ("confirmed_hazardous_area", 0.94, 2019, None),
        ],
    ),
    (
        "The authority estimated that 716.6km2 was still affected by mines.",
        [("contaminated_area", 716.6, 2019, "estimate")],
    ),
    (
        # (area that clearance released is area cleared, as "released through clearance" is)
        "Clearance released 41.3km2 in 2022, up from 36.8km2 in 2021, and destroyed 7,845 "
        "submunitions.",
        [
            ("area_cleared", 41.3, 2022, None),
            ("area_cleared", 36.8, 2021, None),
            ("submunitions_destroyed", 7845.0, 2022, None),
        ],
    ),
    (
        "Some 7.9km2 of mined area and roughly 21.4km2 of battle area were cleared in 2009.",
        [
            ("area_cleared", 7.9, 2009, "approximately"),
            ("area_cleared", 21.4, 2009, "approximately"),
        ],
    ),
    (
        "By 31 December 2021, a little over 21.8km² of land was still to be addressed.",
        [("contaminated_area", 21.8, 2021, "more_than")],
    ),
    ("Reduced by technical survey: 16.2km²", [("area_reduced", 16.2, 2019, None)]),
    (
        "They destroyed 412 antipersonnel mines and 96 antitank mines in 2005.",
        [("ap_mines_destroyed", 412.0, 2005, None), ("av_mines_destroyed", 96.0, 2005, None)],
    ),
    # third held-out set
    (
        "Of the total, 38.6 square kilometres was cleared, 9.4 was reduced through technical "
        "survey and 21.3 was cancelled after non-technical survey.",
        [
            ("area_cleared", 38.6, 2019, None),
            ("area_reduced", 9.4, 2019, None),
            ("area_cancelled", 21.3, 2019, None),
        ],
    ),
    (
        "In 2020 Testland released 1.18km² of mined area, more than half of it (0.77km²) "
        "through technical survey and the remainder, 0.41km², by clearance.",
        [
            ("area_released", 1.18, 2020, None),
            ("area_reduced", 0.77, 2020, None),
            ("area_cleared", 0.41, 2020, None),
        ],
    ),
    (
        "Not a single square metre was cancelled by non-technical survey in 2020.",
        [("area_cancelled", 0.0, 2020, None)],
    ),
    (
        "Of that, 19.6km2 was classed as confirmed hazardous area and about 4.3km2 as suspected.",
        [
            ("confirmed_hazardous_area", 19.6, 2019, None),
            ("suspected_hazardous_area", 4.3, 2019, "approximately"),
        ],
    ),
    (
        "The authority reported roughly 69 square kilometres of mined land handed back for use "
        "in 2022, against 81 square kilometres in 2021.",
        [("area_released", 69.0, 2022, "approximately"), ("area_released", 81.0, 2021, None)],
    ),
    (
        "At the end of 2017, the mined areas still waiting for clearance covered about 3.2 "
        "hectares.",
        [("contaminated_area", 0.032, 2017, "approximately")],
    ),
    (
        "In 2017, teams cleared 21,400 square meters, more than twice the 9,800 square meters "
        "they had cleared the year before.",
        [("area_cleared", 0.0214, 2017, None), ("area_cleared", 0.0098, 2016, None)],
    ),
    (
        "During 2018, clearance covered 0.62km2; the 1,847 anti-personnel mines destroyed were "
        "similar to the 2017 tally.",
        [("area_cleared", 0.62, 2018, None), ("ap_mines_destroyed", 1847.0, 2018, None)],
    ),
    (
        "Teams destroyed 91,652 sub-munitions and 9,207 other items of ERW in 2019.",
        [("submunitions_destroyed", 91652.0, 2019, None), ("erw_destroyed", 9207.0, 2019, None)],
    ),
    # fifth held-out set
    (
        "At the end of 2012, the land still regarded as hazardous amounted to just under 1,950km2.",
        [("contaminated_area", 1950.0, 2012, "less_than")],
    ),
    (
        "A government estimate put the land needing survey or clearance at 174,000km2.",
        [("contaminated_area", 174000.0, 2019, "estimate")],
    ),
    (
        "In 2019, Testland destroyed 1,106 sub- munitions.",
        [("submunitions_destroyed", 1106.0, 2019, None)],
    ),
    # sixth held-out set
    (
        "Teams managed to clear approximately 0.38km² of mined area in 2023; no land was "
        "reduced or cancelled during the year.",
        [
            ("area_cleared", 0.38, 2023, "approximately"),
            ("area_reduced", 0.0, 2023, None),
            ("area_cancelled", 0.0, 2023, None),
        ],
    ),
    (
        "Nothing was cancelled through non-technical survey and no area was reduced by "
        "technical survey: every area is cleared in full.",
        [("area_cancelled", 0.0, 2019, None), ("area_reduced", 0.0, 2019, None)],
    ),
    (
        "More land was released in 2024 than in any earlier year: 1,412 square kilometres in "
        "all, up from 1,080km² a year earlier.",
        [("area_released", 1412.0, 2024, None), ("area_released", 1080.0, 2023, None)],
    ),
    (
        "Remaining mined area, end 2023 (confirmed): 12.4km²",
        [("confirmed_hazardous_area", 12.4, 2023, None)],
    ),
    (
        "By the end of 2024, the government put the area still thought to contain explosive "
        "ordnance at some 139,000km².",
        [("contaminated_area", 139000.0, 2024, "approximately")],
    ),
    (
        "Roughly 26 hectares of confirmed hazardous area remain, in addition to a suspected "
        "1.4km2 that has never been surveyed.",
        [
            ("confirmed_hazardous_area", 0.26, 2019, "approximately"),
            ("suspected_hazardous_area", 1.4, 2019, None),
        ],
    ),
    (
        "Deminers cleared 31,650m² in 2016, a little less than the 36,200m² cleared in 2015, "
        "destroying 1,118 anti-personnel mines.",
        [
            ("area_cleared", 0.03165, 2016, None),
            ("area_cleared", 0.0362, 2015, None),
            ("ap_mines_destroyed", 1118.0, 2016, None),
        ],
    ),
    (
        "Ninety-six anti-personnel mines were destroyed in 2023.",
        [("ap_mines_destroyed", 96.0, 2023, None)],
    ),
    # a decade is no year
    (
        "The authority put remaining contamination at 167km2, though areas logged in the 2000s "
        "were never revisited.",
        [("contaminated_area", 167.0, 2019, None)],
    ),
    # contamination as a state, told with a compound; released land of that kind is no total
    (
        "At the end of 2018, Testland had an estimated 3.4km2 of CMR-contaminated land.",
        [("contaminated_area", 3.4, 2018, "estimate")],
    ),
    (
        "Survey confirmed a further 12.5km2 of CMR-contaminated land over the year.",
        [],
    ),
    (
        "At the end of 2022, the records showed 514.2km2 of land thought to contain mines.",
        [("contaminated_area", 514.2, 2022, None)],
    ),
    (
        "Teams destroyed 312 anti-personnel mines and 1,204 items of other explosive ordnance in "
        "2021.",
        [("ap_mines_destroyed", 312.0, 2021, None), ("erw_destroyed", 1204.0, 2021, None)],
    ),
]


@pytest.mark.parametrize("sentence,expected", METRICS)
def test_metrics(sentence, expected):
    assert read(sentence) == expected


# --- units and numbers --------------------------------------------------------------------

UNITS = [
    ("In 2019, 12.5km² of land was cleared.", 12.5),
    ("In 2019, 16.3 km2 of land was cleared.", 16.3),
    ("In 2019, roughly 11km2of land was cleared.", 11.0),
    ("In 2019, 250,000m2 of land was cleared.", 0.25),
    ("In 2019, 250,000 square metres of land was cleared.", 0.25),
    ("In 2019, 3.5 square kilometres of land was cleared.", 3.5),
    ("In 2019, 2.4 million square meters of land was cleared.", 2.4),
    ("In 2019, 120 hectares of land was cleared.", 1.2),
    ("In 2019, 1,371.10km2 of land was cleared.", 1371.1),
    ("In 2019, 4 sq km of land was cleared.", 4.0),
]


@pytest.mark.parametrize("sentence,km2", UNITS)
def test_units_are_normalised_to_km2(sentence, km2):
    found = figures.from_sentence(sentence, 1, 0, DEFAULT_YEAR)
    assert [(f.metric, f.value, f.unit) for f in found] == [("area_cleared", km2, "km2")]


def test_a_count_in_millions():
    assert read("In 2019, operators destroyed 1.2 million submunitions.") == [
        ("submunitions_destroyed", 1200000.0, 2019, None)
    ]


ZEROS = [
    ("No land was reduced by technical survey in 2019.", [("area_reduced", 0.0, 2019, None)]),
    ("In 2019, no land was released.", [("area_released", 0.0, 2019, None)]),
    ("No mined areas were cleared in 2019.", [("area_cleared", 0.0, 2019, None)]),
    ("No land was cancelled through non-technical survey.", [("area_cancelled", 0.0, 2019, None)]),
    # near miss: "through survey" names no single metric
    ("No land was released through survey in 2019.", []),
    # the method as the subject, the verb before "no land", a label/value line
    ("No clearance of CMR took place in Testland in 2019.", [("area_cleared", 0.0, 2019, None)]),
    (
        "1.46km² released through clearance; non-technical survey cancelled no land.",
        [("area_cleared", 1.46, 2019, None), ("area_cancelled", 0.0, 2019, None)],
    ),
    (
        "8.9km² cleared, no area reduced and 7.1km² cancelled.",
        [
            ("area_cleared", 8.9, 2019, None),
            ("area_cancelled", 7.1, 2019, None),
            ("area_reduced", 0.0, 2019, None),
        ],
    ),
    # "none" as the subject, "reported as", a time phrase after the verb
    (
        "None of the confirmed minefields was cleared over the year, and none was reduced "
        "through technical survey.",
        [("area_cleared", 0.0, 2019, None), ("area_reduced", 0.0, 2019, None)],
    ),
    ("No land was reported as cancelled by NTS in 2019.", [("area_cancelled", 0.0, 2019, None)]),
    # the agent is no method: the verb decides
    ("No land was cleared by humanitarian operators in 2019.", [("area_cleared", 0.0, 2019, None)]),
    # the method as the subject of a result that did not happen
    (
        "Non-technical survey was not used to cancel any land.",
        [("area_cancelled", 0.0, 2019, None)],
    ),
    (
        "Non-technical survey did not lead to the cancellation of any area in 2019.",
        [("area_cancelled", 0.0, 2019, None)],
    ),
    (
        "Some 8.6km2 was cancelled by NTS, while technical survey accounted for none of the "
        "land released that year.",
        [("area_cancelled", 8.6, 2019, "approximately"), ("area_reduced", 0.0, 2019, None)],
    ),
    # a list of three verbs; "land release" as the method
    (
        "No land release took place in 2019: not a single area was cancelled, reduced or cleared.",
        [
            ("area_cancelled", 0.0, 2019, None),
            ("area_reduced", 0.0, 2019, None),
            ("area_cleared", 0.0, 2019, None),
            ("area_released", 0.0, 2019, None),
        ],
    ),
    # zero counts: the noun decides the metric
    (
        "Not a single anti-personnel mine was destroyed in the course of survey or clearance.",
        [("ap_mines_destroyed", 0.0, 2019, None)],
    ),
    (
        "No submunitions were found and destroyed in 2019.",
        [("submunitions_destroyed", 0.0, 2019, None)],
    ),
    ("No mines were found in 2019.", []),
    # near miss: "no" that is not a zero amount of land
    (
        "No mines were found during the clearance of 2km2 in 2019.",
        [("area_cleared", 2.0, 2019, None)],
    ),
]


@pytest.mark.parametrize("sentence,expected", ZEROS)
def test_explicit_zeros(sentence, expected):
    assert read(sentence) == expected


# --- qualifiers and ranges ----------------------------------------------------------------

QUALIFIERS = [
    ("almost", "less_than"),
    ("just under", "less_than"),
    ("less than", "less_than"),
    ("nearly", "less_than"),
    ("just more than", "more_than"),
    ("more than", "more_than"),
    ("just over", "more_than"),
    ("at least", "at_least"),
    ("approximately", "approximately"),
    ("some", "approximately"),
    ("about", "approximately"),
    ("around", "approximately"),
    ("an estimated", "estimate"),
    ("exactly", None),
]


@pytest.mark.parametrize("words,qualifier", QUALIFIERS)
def test_qualifiers(words, qualifier):
    assert read(f"In 2019, {words} 5.5km2 of land was cleared.") == [
        ("area_cleared", 5.5, 2019, qualifier)
    ]


def test_estimate_from_the_clause():
    assert read("The authority estimated the area affected by CMR as at May 2020 at 210km2.") == [
        ("contaminated_area", 210.0, 2020, "estimate")
    ]
    assert read("Remaining contamination was estimated at 15.8km2 at the end of 2019.") == [
        ("contaminated_area", 15.8, 2019, "estimate")
    ]


RANGES = [
    ("Between 1.9 and 2.6km2 of land was cleared in 2019.", (1.9, 2.6)),
    ("Between 1.5 million and 2 million square metres were cleared in 2019.", (1.5, 2.0)),
    ("In 2019, 40-45km2 of land was released.", (40.0, 45.0)),
    ("In 2019, 40–45km2 of land was released.", (40.0, 45.0)),
]


@pytest.mark.parametrize("sentence,bounds", RANGES)
def test_ranges_keep_low_and_high(sentence, bounds):
    (found,) = figures.from_sentence(sentence, 1, 0, DEFAULT_YEAR)
    assert (found.value, found.value_high) == bounds


def test_a_count_range():
    (found,) = figures.from_sentence(
        "Between 1,000 and 1,500 submunitions were destroyed in 2019.", 1, 0, DEFAULT_YEAR
    )
    assert (found.metric, found.value, found.value_high) == ("submunitions_destroyed", 1000, 1500)


# --- years ---------------------------------------------------------------------------------

YEARS = [
    ("In 2015, 3km2 of land was cleared.", 2015),
    ("As of end 2017, 51km2 of CHA remained.", 2017),
    ("By June 2021, 23.5km2 of CHA remained.", 2021),
    ("During 2016, operators cleared 1.1km2.", 2016),
    ("The country cleared 1.1km2 in 2016 compared with 0.7km2 in 2015.", 2016),
    ("As in 2015, operators cleared 2km2.", DEFAULT_YEAR),  # a comparison, not a date
    ("Operators cleared 2km2 before the 1 March 2023 deadline.", DEFAULT_YEAR),
]


@pytest.mark.parametrize("sentence,year", YEARS)
def test_year_of_the_first_figure(sentence, year):
    assert read(sentence)[0][2] == year


def test_a_year_earlier():
    assert read(
        "Contamination was put at 688km2 at the end of 2019, down from 742km2 a year earlier."
    ) == [
        ("contaminated_area", 688.0, 2019, None),
        ("contaminated_area", 742.0, 2018, None),
    ]


def test_each_figure_takes_its_nearest_year():
    found = read("The country cleared 1.1km2 in 2016 compared with 0.7km2 in 2015.")
    assert [(value, year) for _, value, year, _ in found] == [(1.1, 2016), (0.7, 2015)]


def test_a_period_gives_year_from():
    (found,) = figures.from_sentence(
        "From 2010 through 2014, operators cleared a total of 3.1 million square meters.",
        1,
        0,
        DEFAULT_YEAR,
    )
    assert (found.year, found.flags) == (2014, ["year_from:2010"])


def test_the_last_five_years_give_year_from():
    (found,) = figures.from_sentence(
        "Over the last five years, total clearance reached 15.2km2.", 1, 0, 2023
    )
    assert (found.metric, found.year, found.flags) == ("area_cleared", 2023, ["year_from:2019"])


def block(text: str) -> Block:
    return Block("paragraph", text, 1, 0, len(text))


def test_a_year_opening_a_sentence_frames_the_paragraph():
    text = (
        "At the end of 2014, the country had 30km2 of CHA. Of this, 1km2 was cleared in 2014 "
        "but not recorded until late 2015. A further 5km2 is suspected to contain mines."
    )
    found = figures.from_block(block(text), DEFAULT_YEAR)
    assert [(f.metric, f.value, f.year) for f in found] == [
        ("confirmed_hazardous_area", 30.0, 2014),
        ("area_cleared", 1.0, 2014),
        ("suspected_hazardous_area", 5.0, 2014),
    ]


def test_a_section_label_gives_the_year():
    found = figures.from_block(
        block("0.4km2 cleared"), DEFAULT_YEAR, "land_release", "Land release in 2016"
    )
    assert [(f.metric, f.year) for f in found] == [("area_cleared", 2016)]


def test_remaining_area_takes_the_kind_the_paragraph_named():
    text = (
        "At the end of 2018, the state had less than 40km2 of confirmed mined area. This is "
        "down from the 44km2 remaining at the end of 2017."
    )
    found = figures.from_block(block(text), DEFAULT_YEAR)
    assert [(f.metric, f.value, f.year) for f in found] == [
        ("confirmed_hazardous_area", 40.0, 2018),
        ("confirmed_hazardous_area", 44.0, 2017),
    ]


def test_label_value_block_takes_the_section_metric():
    found = figures.from_block(
        block("Approximately 9km2, all along the northern border"),
        DEFAULT_YEAR,
        "contamination",
        "Extent of contamination as of end 2018",
    )
    assert [(f.metric, f.value, f.year, f.qualifier) for f in found] == [
        ("contaminated_area", 9.0, 2018, "approximately")
    ]


def test_the_axis_of_a_key_data_chart_is_no_figure():
    text = "700 600 500 400 AP MINES DESTROYED 300 200 100 0 1,412 AP MINES DESTROYED IN 2023"
    found = figures.from_block(block(text), DEFAULT_YEAR, "key_data", "KEY DATA")
    assert [(f.metric, f.value) for f in found] == [("ap_mines_destroyed", 1412.0)]
    assert figures.chart_ticks("0.35 0.30 0.25 0.20 2 1.73KM 29") == {0.2, 0.25, 0.3, 0.35}


def test_key_data_figures_are_low_confidence():
    found = figures.from_block(
        block("AP mines destroyed: 29"), DEFAULT_YEAR, "key_data", "KEY DATA"
    )
    assert [(f.metric, f.confidence) for f in found] == [("ap_mines_destroyed", "low")]


# --- numbers that are not figures -----------------------------------------------------------

NOT_FIGURES = [
    # inside a recommendation
    "New cluster strikes should not be recorded as covering 25,000m2 by default.",
    # hypothetical
    "Entering the missing tasks would reduce the estimate to some 20.1km2.",
    # newly found area, a flow with no metric
    "In 2019, 6km2 of area was confirmed as mined by survey.",
    "1.8km2 confirmed as mined",
    "0.07km2 of contamination identified through non-technical survey",
    "Survey in 2019 identified 12 new CHAs totalling 1.4km2.",
    "The authority said that 32 CHAs covering 4.2km2 had been added to the database in 2019.",
    # a target and a rate
    "The plan aims to release 30km2 by 2025.",
    "Teams were clearing 0.5km2 a month.",
    # ordinals, dates, percentages, deadlines, treaty articles
    "The 3rd meeting took place on 12 June 2019.",
    "Clearance rose by 30% compared with 2018.",
    "The Article 5 deadline is 1 March 2023.",
    # counts that are not destruction
    "The survey identified 357 affected communities and 772 suspected hazard areas.",
    "The air force dropped at least 26 million submunitions.",
    "Some 7,517 stockpiled mines had been destroyed.",
    # chart axis ticks and a decimal that is no count
    "0.35 0.30 0.25 0.20 0.15 AP MINES DESTROYED IN 2018",
    # a model name with a number
    "ShOAB-0.5 submunitions were tested there.",
    # casualties told in narrative (SOURCES.md: not figures)
    "The Monitor recorded 18 mine/ERW casualties in 2019.",
    # casualties that are not mine casualties
    "An attack killed 11 staff and wounded 15 others.",
    # footnote body inlined into the text
    "Email from the programme manager, 3 May 2019; and interview, p. 15, covering 4km2.",
]


@pytest.mark.parametrize("sentence", NOT_FIGURES)
def test_numbers_that_are_not_figures(sentence):
    assert read(sentence) == []


def test_provenance_offsets_point_at_the_number():
    sentence = "In 2019, 12,000m2 of land was cleared."
    (found,) = figures.from_sentence(sentence, 3, 100, DEFAULT_YEAR)
    page = " " * 100 + sentence
    assert (found.page, page[found.start : found.end]) == (3, "12,000m2")
    assert found.sentence == sentence and found.rule == "area:cleared"


def test_a_fact_stated_twice_is_kept_once():
    text = "Germany has 11km2 of SHA. In 2019, the area suspected was 11km2."
    found = figures.dedupe(figures.from_block(block(text), DEFAULT_YEAR))
    assert [(f.metric, f.value) for f in found] == [("suspected_hazardous_area", 11.0)]


def figures_of_lines(lines: list[str], year: int) -> list[tuple]:
    """(metric, value, year) of the figures of a page with one block per line."""
    from extractor.pipeline import extract_bytes

    result = extract_bytes("\n\n".join(lines).encode(), "text/plain", year=year)
    return [(f.metric, f.value, f.year) for f in result.figures]


def test_value_lines_under_a_destroyed_label():
    lines = [
        "Testland",
        "Land release in 2019",
        "Clearance: 58.7km²",
        "Devices destroyed",
        "20,415 antipersonnel mines\n511 antivehicle mines",
        "Operators",
        "12 international and 3 national operators",
    ]
    assert figures_of_lines(lines, 2020) == [
        ("area_cleared", 58.7, 2019),
        ("ap_mines_destroyed", 20415.0, 2019),
        ("av_mines_destroyed", 511.0, 2019),
    ]


def test_rows_under_an_items_destroyed_column():
    # a table flattened one cell per line: the column "Items destroyed" holds for every row
    lines = [
        "Testland",
        "Land release in 2021",
        "Area released",
        "Items destroyed",
        "Mined areas",
        "93.4km²",
        "6,480 antipersonnel mines; 2,314 antivehicle mines",
        "Battle area clearance",
        "not reported separately",
        "21,900 items of ERW",
        "Casualties",
        "Killed: 31",
    ]
    assert figures_of_lines(lines, 2022) == [
        ("ap_mines_destroyed", 6480.0, 2021),
        ("av_mines_destroyed", 2314.0, 2021),
        ("erw_destroyed", 21900.0, 2021),
    ]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # the verbs name the metrics even when the method is plain "survey"
        (
            "None of the released land was cancelled or reduced through survey in 2019.",
            [("area_cancelled", 0.0, 2019, None), ("area_reduced", 0.0, 2019, None)],
        ),
        ("No land was released through survey in 2019.", []),
        # a method after its quantity on a value line; a year's area
        # in brackets; "the previous year" of a comparison without a year of its own
        (
            "In 2019, operators cleared 0.38km² of mined area, compared with 0.6km² in 2018, "
            "and conducted battle area clearance of 3.4km², down from roughly 5km² the "
            "previous year.",
            [
                ("area_cleared", 0.38, 2019, None),
                ("area_cleared", 0.6, 2018, None),
                ("area_cleared", 3.4, 2019, None),
                ("area_cleared", 5.0, 2018, "approximately"),
            ],
        ),
        ("3.4km² battle area clearance", [("area_cleared", 3.4, 2019, None)]),
        (
            "In 2021, operators reported clearing 93.4km², almost three times the area cleared "
            "in 2020 (32km²).",
            [("area_cleared", 93.4, 2021, None), ("area_cleared", 32.0, 2020, None)],
        ),
    ],
)
def test_zeros_by_verb_and_areas_in_other_orders(sentence, expected):
    assert read(sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # an amount told by how it changed, and the one it changed from
        (
            "Clearance of cluster munition-contaminated land rose to 0.59km2 in 2018, from "
            "0.44km2 in 2017.",
            [("area_cleared", 0.59, 2018, None), ("area_cleared", 0.44, 2017, None)],
        ),
        # a count compared without its noun, "the year before" the year in view
        (
            "Some 212 improvised anti-personnel mines were destroyed, more than double the 96 "
            "destroyed the year before.",
            [
                ("ap_mines_destroyed", 212.0, DEFAULT_YEAR, "approximately"),
                ("ap_mines_destroyed", 96.0, DEFAULT_YEAR - 1, None),
            ],
        ),
        # a clause that opens with "a year earlier" is about the year before the sentence's
        (
            "Operators cleared 64,200m2 in 2017, destroying 45 submunitions; a year earlier, 23 "
            "submunitions had been found and destroyed.",
            [
                ("area_cleared", 0.0642, 2017, None),
                ("submunitions_destroyed", 45.0, 2017, None),
                ("submunitions_destroyed", 23.0, 2016, None),
            ],
        ),
        # ... and "the previous year" after a semicolon is not the quantity before it
        (
            "In 2017 operators cleared 2km2; the previous year, they had cleared 1.5km2.",
            [("area_cleared", 2.0, 2017, None), ("area_cleared", 1.5, 2016, None)],
        ),
        # part of a stock confirmed as mined; an area newly confirmed is no stock
        (
            "Remaining contamination at the end of 2016 was 0.35km2, including 0.12km2 "
            "confirmed as mined.",
            [
                ("contaminated_area", 0.35, 2016, None),
                ("confirmed_hazardous_area", 0.12, 2016, None),
            ],
        ),
        ("In 2016, 6km2 of area was confirmed as mined by survey.", []),
        # the part that came from clearance; ordnance other than the mines counted before it
        (
            "In 2016, operators released 3.6km2, but only 1.7km2 of that came from clearance.",
            [("area_released", 3.6, 2016, None), ("area_cleared", 1.7, 2016, None)],
        ),
        (
            "In 2019 teams destroyed 4,200 anti-personnel mines and more than 21,000 other items "
            "of explosive ordnance.",
            [
                ("ap_mines_destroyed", 4200.0, 2019, None),
                ("erw_destroyed", 21000.0, 2019, "more_than"),
            ],
        ),
        # in apposition
        (
            "The figure for remaining contamination, some 95km2, still rests on estimates.",
            [("contaminated_area", 95.0, DEFAULT_YEAR, "approximately")],
        ),
        (
            "A further 21,500m2 was reduced by technical survey in 2016, whereas nothing at all "
            "was cancelled through non-technical survey.",
            [("area_reduced", 0.0215, 2016, None), ("area_cancelled", 0.0, 2016, None)],
        ),
        # a zero in one district is not the country's
        ("No clearance took place in Kasese district in 2007.", []),
        ("No clearance took place in 2007.", [("area_cleared", 0.0, 2007, None)]),
    ],
)
def test_changes_comparisons_and_parts_of_a_stock(sentence, expected):
    assert read(sentence) == expected


def test_a_table_flattened_one_cell_per_line_label_then_value():
    """The Monitor's impact tables: a label line, then its value line alone."""
    from extractor.pipeline import extract_bytes

    lines = [
        "Testland",
        "Reported contamination",
        "71.2km² (CHA and SHA)",
        "Land release (2021)",
        "Cleared",
        "6.29km²",
        "Reduced",
        "0.84km²",
        "Cancelled",
        "3.11km²",
        "Antipersonnel mines destroyed",
        "3,410",
    ]
    result = extract_bytes("\n\n".join(lines).encode(), "text/plain", year=2022)
    found = [(f.metric, f.value, f.year, f.sentence) for f in result.figures]
    assert found == [
        ("contaminated_area", 71.2, 2021, "71.2km² (CHA and SHA)"),
        ("area_cleared", 6.29, 2021, "6.29km²"),
        ("area_reduced", 0.84, 2021, "0.84km²"),
        ("area_cancelled", 3.11, 2021, "3.11km²"),
        ("ap_mines_destroyed", 3410.0, 2021, "3,410"),
    ]
    page = result.pages_text[0]
    assert [page[f.start : f.end] for f in result.figures] == [
        "71.2km²",
        "6.29km²",
        "0.84km²",
        "3.11km²",
        "3,410",
    ]
