"""Developments: events with their stage (completed / in_progress / not_done), year, sentence
and page. These are the evidence that marks a recommendation implemented, so the tables below
are mostly about what must NOT count as a completion. Sentences are our own words.
"""

from __future__ import annotations

import pytest

from extractor import countries, developments
from extractor.pipeline import extract_bytes


def events(sentence: str, report_year: int = 2024) -> list[tuple[str, str, int | None]]:
    return [(e.event, e.stage, e.year) for e in developments.find(sentence, "", report_year)]


# -- completed -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "Ruritania officially launched its national mine action strategy in May 2018.",
            ("strategy_adopted", "completed", 2018),
        ),
        (
            "The Council of Ministers approved a residual risk management strategy in March 2022.",
            ("strategy_adopted", "completed", 2022),
        ),
        # a nominal with its past date
        (
            "The adoption of a gender policy for mine action in 2021 was followed by the first "
            "mixed survey teams.",
            ("gender_policy_adopted", "completed", 2021),
        ),
        (
            "Following the approval of new national standards in March 2019, operators were "
            "accredited again.",
            ("standards_adopted", "completed", 2019),
        ),
        (
            "The introduction of IMSMA Core in 2022 made survey data easier to check.",
            ("database_introduced", "completed", 2022),
        ),
        # a database put to use
        (
            "The RMAC began using the IMSMA database in 2012, after a training mission.",
            ("database_introduced", "completed", 2012),
        ),
        (
            "In 2016 the authority started recording all clearance results in IMSMA Core.",
            ("database_introduced", "completed", 2016),
        ),
        (
            "The centre has used IMSMA since May 2017, when a database was installed with donor "
            "support.",
            ("database_introduced", "completed", 2017),
        ),
        (
            "In March 2021, the RMAC formally approved revised national mine action standards.",
            ("standards_adopted", "completed", 2021),
        ),
        ("Parliament passed a mine action law in June 2020.", ("law_adopted", "completed", 2020)),
        (
            "Ruritania acceded to the Convention on Cluster Munitions in 2019.",
            ("ccm_accession", "completed", 2019),
        ),
        (
            "Ruritania became a State Party to the Mine Ban Treaty on 1 March 2005.",
            ("apmbc_accession", "completed", 2005),
        ),
        (
            "In December 2020, States Parties granted Ruritania a five-year extension to its "
            "Article 5 deadline of 1 March 2021.",
            ("extension_granted", "completed", 2020),
        ),
        (
            "Ruritania submitted an Article 5 deadline extension request in March 2022.",
            ("extension_requested", "completed", 2022),
        ),
        (
            "In 2022, the RMAC adopted a gender and diversity policy.",
            ("gender_policy_adopted", "completed", 2022),
        ),
        (
            "A resource mobilisation strategy was launched in April 2023.",
            ("resource_mobilisation_strategy_adopted", "completed", 2023),
        ),
        (
            "Ruritania adopted an environmental management standard in 2023.",
            ("environment_policy_adopted", "completed", 2023),
        ),
        (
            "The national baseline survey was completed in 2020.",
            ("baseline_survey_completed", "completed", 2020),
        ),
        (
            "The RMAC migrated its database to IMSMA Core in February 2024.",
            ("database_introduced", "completed", 2024),
        ),
        (
            "A national mine action authority was established by decree in 2017.",
            ("authority_established", "completed", 2017),
        ),
        (
            "The programme completed its transition to national ownership in 2019.",
            ("national_handover", "completed", 2019),
        ),
        (
            "In 2021, the RMAC made several changes to its operating procedures for dog teams.",
            ("procedures_revised", "completed", 2021),
        ),
        ("The RMAC attracted a new donor in 2022.", ("funding_secured", "completed", 2022)),
        (
            "In 2001 the assembly passed a resolution calling for a unilateral ban on landmines.",
            ("ban_commitment", "completed", 2001),
        ),
        (
            "The strategy, which covers 2021-2025, was approved by the cabinet in January 2021.",
            ("strategy_adopted", "completed", 2021),
        ),
        (
            "The standards, which take effect from 2022, cover survey and clearance.",
            ("standards_adopted", "completed", 2022),
        ),
        (
            "A baseline survey of five provinces conducted between 2016 and 2019 found 40 areas.",
            ("baseline_survey_completed", "completed", 2019),
        ),
        # more time, without the word "extension" (held-out phrasings)
        (
            "At their meeting in December 2017, States Parties approved Ruritania's request for "
            "eight more years.",
            ("extension_granted", "completed", 2017),
        ),
        (
            "States Parties agreed in November 2020 to move Ruritania's Article 5 deadline to "
            "1 June 2027.",
            ("extension_granted", "completed", 2020),
        ),
        (
            "The original deadline was pushed back by five years at the meeting in November 2008.",
            ("extension_granted", "completed", 2008),
        ),
        (
            "In March 2020 Ruritania asked for five more years to finish clearance.",
            ("extension_requested", "completed", 2020),
        ),
        (
            "Ruritania submitted a request in 2019 to extend its Article 4 deadline.",
            ("extension_requested", "completed", 2019),
        ),
        (
            "In November 2022, the parliament passed amendments to the Law on Mine Action.",
            ("law_adopted", "completed", 2022),
        ),
        (
            "In 2008 the government set up the Directorate of Mine Action inside a ministry.",
            ("authority_established", "completed", 2008),
        ),
        (
            "The National Regulatory Authority, which the prime minister created by decree in "
            "2004, oversees the sector.",
            ("authority_established", "completed", 2004),
        ),
        (
            "During 2013, the authority introduced a new evidence-based survey methodology.",
            ("procedures_revised", "completed", 2013),
        ),
        (
            "The mine action centre, a UN project since 2003, passed fully into national hands "
            "in 2014.",
            ("national_handover", "completed", 2014),
        ),
        (
            "In late 2005 the Ruritanian Demining Authority took direct control of all clearance.",
            ("national_handover", "completed", 2005),
        ),
        (
            "States Parties agreed at the Review Conference in November 2019 to Ruritania's "
            "second request.",
            ("extension_granted", "completed", 2019),
        ),
        (
            "The RMAC finished moving its records into IMSMA Core in December 2022.",
            ("database_introduced", "completed", 2022),
        ),
        (
            "In September 2019, States Parties agreed to push the country's clearance deadline "
            "back by five years.",
            ("extension_granted", "completed", 2019),
        ),
        (
            "Towards the end of 2022 the RMAC signed off on the first environmental management "
            "framework.",
            ("environment_policy_adopted", "completed", 2022),
        ),
        (
            "The National Demining Commission signed off a new National Demining Plan in "
            "February 2007.",
            ("strategy_adopted", "completed", 2007),
        ),
        (
            "In 2022, the hub moved its survey and clearance records into a newly installed IMSMA "
            "Core database.",
            ("database_introduced", "completed", 2022),
        ),
        (
            "The national mine action strategy for 2019-2021 received ministerial sign-off in "
            "February 2019.",
            ("strategy_adopted", "completed", 2019),
        ),
        (
            "In March 2022, the RMAC took over responsibility for the national database from the "
            "United Nations.",
            ("national_handover", "completed", 2022),
        ),
        (
            "Information management was overhauled in 2023: the national IMSMA Core database went "
            "live in April.",
            ("database_introduced", "completed", 2023),
        ),
        (
            "In February 2023, the European Union agreed to fund a two-year survey project.",
            ("funding_secured", "completed", 2023),
        ),
        (
            "A national standard on protecting the environment during demining came into force "
            "in 2024.",
            ("environment_policy_adopted", "completed", 2024),
        ),
        (
            "Fieldwork for the Landmine Impact Survey ended in April 2004.",
            ("baseline_survey_completed", "completed", 2004),
        ),
        (
            "The RMAC and an operator completed a general survey of cluster munition strikes in "
            "2011.",
            ("baseline_survey_completed", "completed", 2011),
        ),
        # a chain "begun ..., was finished ...": the last verb, and its own date
        (
            "A baseline assessment, begun in 2008, was finished by two operators in mid-2011.",
            ("baseline_survey_completed", "completed", 2011),
        ),
    ],
)
def test_completed(sentence, expected):
    assert events(sentence) == [expected]


# -- in progress -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "A draft national strategy was being prepared at the time of writing.",
            ("strategy_adopted", "in_progress", None),
        ),
        (
            "The RMAC drafted a new strategic plan for 2025-2030.",
            ("strategy_adopted", "in_progress", None),
        ),
        (
            "The national mine action standards are currently undergoing revision.",
            ("standards_adopted", "in_progress", None),
        ),
        (
            "The revised standards are expected to be approved in 2024.",
            ("standards_adopted", "in_progress", 2024),
        ),
        (
            "The revised national standards were still awaiting approval by the ministry.",
            ("standards_adopted", "in_progress", None),
        ),
        (
            "A draft mine action law has been awaiting adoption since 2015.",
            ("law_adopted", "in_progress", None),
        ),
        (
            "The survey methodology was accepted in principle as the national standard.",
            ("standards_adopted", "in_progress", None),
        ),
        (
            "The RMAC was writing a national mine action strategic plan for 2018-2020.",
            ("strategy_adopted", "in_progress", None),
        ),
        (
            "A plan for mainstreaming gender and diversity was still being drafted.",
            ("gender_policy_adopted", "in_progress", None),
        ),
        (
            "A five-year national mine action strategy was finalised in November 2022 but still "
            "awaits approval by the Council of Ministers.",
            ("strategy_adopted", "in_progress", 2022),
        ),
        (
            "The RMAC drew up a resource mobilisation strategy in December 2020.",
            ("resource_mobilisation_strategy_adopted", "in_progress", 2020),
        ),
        (
            "The RMAC has been moving its database from the old IMSMA to IMSMA Core.",
            ("database_introduced", "in_progress", None),
        ),
        (
            "In 2020 the RMAC began preparing to migrate its records to IMSMA Core.",
            ("database_introduced", "in_progress", 2020),
        ),
        (  # "no dedicated policy" is no cue of its own: the intention after it is
            "The RMAC has no dedicated gender policy, though it said one would be drafted in 2022.",
            ("gender_policy_adopted", "in_progress", 2022),
        ),
        (  # awaited, not adopted (a year after the report is no date)
            "The RMAC is awaiting the adoption of the strategy in 2025.",
            ("strategy_adopted", "in_progress", None),
        ),
        (
            "The migration of the national database to IMSMA Core is still unfinished.",
            ("database_introduced", "in_progress", None),
        ),
        (  # a plan for residual contamination is a strategy
            "In 2021 the RMAC began drafting a plan to manage residual contamination after "
            "completion.",
            ("strategy_adopted", "in_progress", 2021),
        ),
        (
            "In late 2018 the RMAC began moving its national database to a newer version of IMSMA.",
            ("database_introduced", "in_progress", 2018),
        ),
        (
            "At the end of 2015 the RMAC was still building a national mine action database.",
            ("database_introduced", "in_progress", 2015),
        ),
        (
            "Two chapters of the standards were still waiting for RMAC approval in mid-2013.",
            ("standards_adopted", "in_progress", 2013),
        ),
        (
            "In early 2021, Ruritania said it intended to ask States Parties for more time.",
            ("extension_requested", "in_progress", 2021),
        ),
        (
            "The amended demining law was still waiting to be passed by parliament.",
            ("law_adopted", "in_progress", None),
        ),
        (
            "In April 2024, Ruritania stated its intention to seek a one-year extension.",
            ("extension_requested", "in_progress", 2024),
        ),
        (
            "The RMAC said that it would request a further extension.",
            ("extension_requested", "in_progress", None),
        ),
        (
            "The draft standards were finalised but have not yet been approved.",
            ("standards_adopted", "in_progress", None),
        ),
        (
            "In May 2023, officials said they were prepared to sign the Deed of Commitment.",
            ("ban_commitment", "in_progress", 2023),
        ),
        (
            "The RMAC continued to revise its national standards in 2023.",
            ("standards_adopted", "in_progress", 2023),
        ),
        (
            "Goals for 2030 are being discussed in the context of a new national strategy.",
            ("strategy_adopted", "in_progress", None),
        ),
    ],
)
def test_in_progress(sentence, expected):
    assert events(sentence) == [expected]


# -- not done: never a completion ------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "Ruritania has yet to adopt a national mine action strategy.",
            ("strategy_adopted", "not_done", None),
        ),
        (
            "Ruritania still lacks national mine action standards.",
            ("standards_adopted", "not_done", None),
        ),
        (
            "A more accurate baseline of contamination is still lacking.",
            ("baseline_survey_completed", "not_done", None),
        ),
        (
            "The national mine action strategy was not adopted in 2019.",
            ("strategy_adopted", "not_done", 2019),
        ),
        (
            "The government decided not to adopt the draft strategy.",
            ("strategy_adopted", "not_done", None),
        ),
        ("There is no national mine action strategy.", ("strategy_adopted", "not_done", None)),
        ("There is no national mine action database.", ("database_introduced", "not_done", None)),
        ("Ruritania has no specific mine action legislation.", ("law_adopted", "not_done", None)),
        (
            "There is no legislation governing mine action; the centre works under a decree.",
            ("law_adopted", "not_done", None),
        ),
        (
            "By mid-2020 no plan for residual contamination had been adopted.",
            ("strategy_adopted", "not_done", 2020),
        ),
        (
            "The strategy expired in 2020 and no new strategy has been adopted.",
            ("strategy_adopted", "not_done", None),
        ),
        (
            "Ruritania does not have a national mine action authority.",
            ("authority_established", "not_done", None),
        ),
        (
            "Ruritania has not yet joined the Mine Ban Treaty.",
            ("apmbc_accession", "not_done", None),
        ),
        (
            "Ruritania continues to hold back from joining the Convention on Cluster Munitions.",
            ("ccm_accession", "not_done", None),
        ),
        (
            "Ruritania has still not joined the cluster munition convention.",
            ("ccm_accession", "not_done", None),
        ),
        (
            "A draft law giving the RMAC a legal mandate had still not been passed by parliament.",
            ("law_adopted", "not_done", None),
        ),
        (
            "Ruritania has not yet put in place any policy on environmental management.",
            ("environment_policy_adopted", "not_done", None),
        ),
        (
            "The Council of Ministers has also yet to approve a revised mine action strategy.",
            ("strategy_adopted", "not_done", None),
        ),
        (
            "Ruritania still has no single national mine action authority.",
            ("authority_established", "not_done", None),
        ),
        (
            "There is still no gender and diversity policy for the sector.",
            ("gender_policy_adopted", "not_done", None),
        ),
        (
            "Ruritania is still not a party to the Convention on Cluster Munitions (CCM).",
            ("ccm_accession", "not_done", None),
        ),
        ("There is no dedicated legislation on mine action.", ("law_adopted", "not_done", None)),
        (
            "An inter-ministerial steering committee, provided for by decree in 2017, has not yet "
            "been set up.",
            ("authority_established", "not_done", None),
        ),
        # the law's own year is not the year nothing happened
        (
            "Parliament has yet to pass the amendments to the 2002 demining law.",
            ("law_adopted", "not_done", None),
        ),
        (
            "Progress stalled in 2021 owing to a lack of progress in determining a baseline.",
            ("baseline_survey_completed", "not_done", 2021),
        ),
        (
            "The government has not adopted the strategy drafted in 2019.",
            ("strategy_adopted", "not_done", 2019),
        ),
    ],
)
def test_not_done(sentence, expected):
    assert events(sentence) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "The strategy should be adopted without delay.",
        "The RMAC should adopt a national strategy as a matter of priority.",
        "Once the strategy is adopted, operators will receive new tasks.",
        "Mine Action Review believes the strategy should be revised.",
        "Clearance was conducted in line with the national standards.",
        "Zimbabwe completed clearance of the minefields identified by the baseline survey.",
        "The RMAC completed clearance of 14 areas in line with its strategy.",
        "Operators were accredited under the revised national standards.",
        "The national strategy calls for clearance to be completed by 2025.",
        "Residual contamination was managed by an army EOD team in 2022.",
        # a nominal that is awaited, asked for or expected
        "Operators pressed for the approval of the standards in 2024.",
        "The approval of the national strategy is expected in 2025.",
        "Mine Action Review recommends the adoption of a strategy in 2025.",
        "Once a database is installed, operators will report to it.",
        "A plan for residual contamination should be drawn up before completion.",
        "The NMAA launched a tender for a new database in 2023.",
        "Ruritania is a State Party to the Convention on Cluster Munitions.",
        "Not a State Party to the Mine Ban Treaty",
        "Ruritania regained full control of the border region in 2023.",
        "The authority added four new hazards to the database in 2022.",
        "Ruritania's mine action legislation dates back to 2003.",
        "The goal of completing clearance by 2025 is in the national strategy.",
        "Without a strategy, operators set their own priorities.",
    ],
)
def test_no_event(sentence):
    assert events(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Ruritania has yet to adopt a national mine action strategy.",
        "Ruritania still lacks a national mine action strategy.",
        "The strategy has not been approved.",
        "The strategy has never been adopted.",
        "A draft strategy is awaiting approval.",
        "The strategy is expected to be launched in 2025.",
        "The strategy will be adopted next year.",
        "The strategy should be adopted.",
        "If the strategy is adopted, clearance will speed up.",
        "The strategy was finalised in draft but has not yet been endorsed.",
    ],
)
def test_negated_or_planned_adoption_is_never_a_completion(sentence):
    assert all(stage != "completed" for _, stage, _ in events(sentence))


# -- several events in one sentence ------------------------------------------------------------
def test_adopted_but_not_yet_implemented_is_adopted():
    assert events("The strategy was adopted in 2022 but has yet to be implemented.") == [
        ("strategy_adopted", "completed", 2022)
    ]


def test_finalised_but_not_yet_approved_is_not_done():
    assert events("The standards were finalised in 2022 but have not yet been approved.") == [
        ("standards_adopted", "not_done", 2022)
    ]


def test_one_sentence_can_hold_several_events():
    sentence = (
        "In 2023, Ruritania requested and was granted a further two-year extension to its "
        "Article 5 deadline until 1 March 2026."
    )
    assert events(sentence) == [
        ("extension_granted", "completed", 2023),
        ("extension_requested", "completed", 2023),
    ]


def test_each_event_takes_its_own_cue():
    sentence = (
        "The RMAC drafted a new strategic plan for 2025-2030 and stated that it would request "
        "a further extension to its Article 5 deadline of March 2026."
    )
    assert events(sentence) == [
        ("extension_requested", "in_progress", None),
        ("strategy_adopted", "in_progress", None),
    ]


def test_a_verb_before_two_coordinated_triggers_governs_both():
    sentence = (
        "Ruritania launched its Completion Strategy 2024-2028 and a Resource Mobilisation "
        "Strategy in January 2024."
    )
    assert sorted(events(sentence)) == [
        ("resource_mobilisation_strategy_adopted", "completed", 2024),
        ("strategy_adopted", "completed", 2024),
    ]


def test_a_verb_on_another_trigger_is_not_this_one():
    sentence = (
        "Ruritania's strategy complements its revised extension request that was approved at "
        "the Meeting of States Parties in December 2023."
    )
    assert events(sentence) == [("extension_granted", "completed", 2023)]


def test_a_trigger_inside_a_longer_one_of_another_topic_is_not_read():
    assert events("A communications and resource mobilisation strategy was launched in 2022.") == [
        ("resource_mobilisation_strategy_adopted", "completed", 2022)
    ]


def test_database_handover_topic_is_data_management():
    (found,) = developments.find("The RMAC resumed control of the IMSMA database in June 2023.")
    assert (found.event, found.topic, found.stage, found.year, found.month) == (
        "national_handover",
        "data_management",
        "completed",
        2023,
        6,
    )


def test_a_month_without_a_year_takes_the_year_of_the_sentence():
    sentence = (
        "In February 2019, the minister took over coordination of mine action, and in May a "
        "national mine action policy was approved."
    )
    (found,) = developments.find(sentence)
    assert (found.event, found.stage, found.year, found.month) == (
        "strategy_adopted",
        "completed",
        2019,
        5,
    )


def test_an_undone_state_takes_the_date_it_still_held_at():
    sentence = (
        "National standards were drafted during the year but had still not been approved by "
        "mid-2009."
    )
    assert events(sentence, report_year=2010) == [("standards_adopted", "in_progress", 2009)]
    # a target is no such date
    assert events("The strategy is expected to be adopted by 2025.", report_year=2024) == [
        ("strategy_adopted", "in_progress", None)
    ]


def test_a_completion_after_the_report_year_is_no_date():
    assert events("The strategy was launched in 2026.", report_year=2024) == [
        ("strategy_adopted", "completed", None)
    ]


# -- whole documents ---------------------------------------------------------------------------
def extract(*lines: str):
    return extract_bytes("\n".join(lines).encode("utf-8"), "text/plain")


def test_an_undated_absence_beside_work_under_way_is_that_work():
    doc = extract(
        "URL: https://www.mineactionreview.org/assets/downloads/Ruritania_Clearing_the_Mines_2019.pdf",
        "",
        "Information Management and Reporting",
        "",
        "There is no national mine action database.",
        "",
        "In early 2019, IMSMA Core was being installed with outside help.",
        "",
        "Planning and Tasking",
        "",
        "There is no national mine action strategy.",
    )
    found = sorted((d.event, d.stage, d.year) for d in doc.developments)
    # the database's absence gives way to its installation; the strategy's stands alone
    assert found == [
        ("database_introduced", "in_progress", 2019),
        ("strategy_adopted", "not_done", None),
    ]


MONITOR_LABELS = [
    "Ruritania",
    "Mine Action",
    "Last updated: 10 November 2018",
    "Treaty status",
    "Mine Ban Treaty",
    "Not a party",
    "Mine action management",
    "Mine action strategic plan",
    "No",
    "Mine action standards",
    "National Mine Action Standards (NMAS), revised version, June 2018",
    "Operators in 2017",
    "National armed forces",
]


def test_monitor_label_lines_are_developments():
    result = extract(*MONITOR_LABELS)
    found = [(d.event, d.stage, d.year, d.month) for d in result.developments]
    assert found == [
        # "No": not done, as of the year the edition reports on (tests/gold/README.md)
        ("strategy_adopted", "not_done", 2017, None),
        ("standards_adopted", "completed", 2018, 6),
    ]
    page = result.pages_text[0]
    for dev in result.developments:
        assert page[dev.start : dev.end] == dev.sentence


@pytest.mark.parametrize(
    "value,expected",
    [
        ("National Mine Action Strategy 2019-2023", ("completed", None)),
        ("Draft strategy 2024-2028 under review", ("in_progress", None)),
        ("None", ("not_done", None)),
        ("None. The last plan ran out and nothing has replaced it", ("not_done", None)),
        ("No national strategy; a draft is being developed", ("in_progress", None)),
        ("No current plan (the 2018-2020 plan has run out)", ("not_done", None)),
        ("National strategy adopted in March 2020", ("completed", 2020)),
        (
            "National demining standards; a revision for improvised mines was under way in 2021",
            ("in_progress", 2021),
        ),
    ],
)
def test_label_values(value, expected):
    result = extract("Mine action management", "Mine action strategic plan", value)
    assert [(d.stage, d.year) for d in result.developments] == [expected]


def test_an_undated_label_value_under_way_is_of_the_year_before_the_edition():
    result = extract(
        "Last updated: 10 November 2018",
        "Mine action management",
        "Mine action standards",
        "Standards (RMAS); chapters were being rewritten",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [("standards_adopted", "in_progress", 2017)]


def test_a_label_and_its_value_on_one_line():
    result = extract(
        "Mine action management",
        "Mine action strategic plan: None",
        "Mine action standards: National standards, revised in May 2019",
    )
    found = [(d.event, d.stage, d.year, d.sentence) for d in result.developments]
    assert found == [
        ("strategy_adopted", "not_done", 2018, "None"),
        ("standards_adopted", "completed", 2019, "National standards, revised in May 2019"),
    ]
    page = result.pages_text[0]
    assert all(page[d.start : d.end] == d.sentence for d in result.developments)


def test_the_commentary_of_a_flattened_score_table_is_read():
    """A PDF score table whose cells run together under the performance heading: its
    commentary is performance commentary, a source of developments."""
    result = extract(
        "RURITANIA",
        "CLEARING THE MINES 2021",
        "ASSESSMENT OF NATIONAL PROGRAMME PERFORMANCE",
        "Criterion Score (2020) Performance Commentary GENDER 4 More women joined survey teams "
        "in (10% of overall score) 2020, but there is still no gender policy. PLANNING AND "
        "TASKING 5 Tasking is reactive. (10% of overall score)",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [("gender_policy_adopted", "not_done", 2020)]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "Ruritania has no gender policy for mine action.",
            [("gender_policy_adopted", "not_done", None)],
        ),
        (
            "The authority has no formal environmental policy.",
            [("environment_policy_adopted", "not_done", None)],
        ),
        # the words between are not the instrument's
        ("Ruritania has no funds for the national strategy.", []),
        # "begun" starts another activity, not the policy
        (
            "The authority adopted a gender policy and has begun collecting sex-disaggregated "
            "data.",
            [("gender_policy_adopted", "completed", None)],
        ),
    ],
)
def test_no_instrument_and_an_activity_begun(sentence, expected):
    assert events(sentence) == expected


def test_label_lines_are_never_joined_into_one_sentence_with_the_lines_around_them():
    """Long label lines end without a full stop, like hard-wrapped text: they must not be read
    as one sentence running through the label lines between them ("... has been drafted /
    Mine action standards: ... revised ..." gave two false standards events)."""
    result = extract(
        "Last updated: 10 November 2019",
        "Mine action management",
        "National mine action management actors: the Ruritanian Mine Action Centre (RMAC), "
        "under the Ministry of Defence",
        "Mine action strategic plan: None. The previous plan expired and no successor has been "
        "drafted",
        "Mine action standards: National standards, last revised before the war",
        "Extent of contamination as of end 2018",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [
        ("strategy_adopted", "not_done", 2018),
        ("standards_adopted", "completed", None),
    ]


def test_joined_neither_convention_is_treaty_status_not_an_event():
    """The Monitor's statement of status (tests/gold/README.md: status, not an event), and
    above all no completion: "joined" was read as joining both."""
    sentence = (
        "Ruritania has joined neither the Mine Ban Treaty nor the Convention on Cluster Munitions."
    )
    assert events(sentence) == []
    assert events("Ruritania has not joined the Convention on Cluster Munitions.") == [
        ("ccm_accession", "not_done", None)
    ]


def test_a_line_without_a_full_stop_is_not_read_into_the_paragraph_after_it():
    """Paragraphs are the loader's: a status line with no full stop before a paragraph is
    not one sentence with it (the paragraph's "created" made the line a completion)."""
    result = extract(
        "Has joined neither the Mine Ban Treaty nor the Convention on Cluster Munitions",
        "",
        "In 2014, the government created the Ruritanian Mine Action Centre (RMAC) to coordinate "
        "the sector.",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [("authority_established", "completed", 2014)]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "RuMAC was established in December 2011 under the Ministry of Defence.",
            [("authority_established", "completed", 2011)],
        ),
        (
            "The NMAA, created in 2006 under the Ministry of Interior, regulates mine action.",
            [("authority_established", "completed", 2006)],
        ),
        (
            "RuMAC, which was established under the Ministry of Defence in 2015, coordinates.",
            [("authority_established", "completed", 2015)],
        ),
        # defined in the document by a name that says what it is
        (
            "The CDHE was established by government decree in 2011.",
            [("authority_established", "completed", 2011)],
        ),
        (
            "PNDH, set up in 2007 under the Ministry of the Interior, coordinates mine action.",
            [("authority_established", "completed", 2007)],
        ),
        # in an appositive after the acronym
        (
            "Clearance was run by RuMAC, a public institution established by law in 1998.",
            [("authority_established", "completed", 1998)],
        ),
        # the body acting, or another body set up inside it: not the body being set up
        ("In 2019, the RuMAC established a gender working group.", []),
        ("A gender focal point was established within the RuMAC in 2019.", []),
        # an acronym the document does not define as a mine action body
        ("The ABCD was established in 2011.", []),
        # a United Nations centre is not the national body
        ("UNMAC was established in 2002 to coordinate clearance.", []),
    ],
)
def test_a_mine_action_body_named_by_its_acronym_being_set_up(sentence, expected):
    document = (
        "Ruritania. The Centre for Demining and Expertise (CDHE) and the Programme National "
        "de Deminage Humanitaire (PNDH) work with the Association of Builders (ABCD). "
    )
    named = developments.named_authorities(document)
    found = developments.find(sentence, "", 2024, named)
    assert [(e.event, e.stage, e.year) for e in found] == expected


def test_a_mine_action_unit_is_a_national_authority():
    found = events("In the spring of 2017, the Ministry of Interior set up a mine action unit.")
    assert found == [("authority_established", "completed", 2017)]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # funding secured is funding secured, whatever its kind
        (
            "In 2018, Ruritania also secured a further allocation of EU cohesion funds for "
            "demining.",
            [("funding_secured", "completed", 2018)],
        ),
        ("The authority has not secured funding for clearance.", []),
        (  # hoped for: under way at most
            "The authority hopes to have secured new funds by 2025.",
            [("funding_secured", "in_progress", None)],
        ),
        # a treaty joined, told by a nominal with its date; instruments brought into line,
        # records switched to a database; another sector's strategy is none
        (
            "Ruritania's ratification of the Convention on Cluster Munitions in August 2009 bound "
            "it to clear.",
            [("ccm_accession", "completed", 2009)],
        ),
        # ... but no completion when it is awaited, nor without a date
        ("Ruritania is awaiting the ratification of the Convention on Cluster Munitions.", []),
        (
            "The national standards were brought into line with the latest IMAS during 2006.",
            [("standards_adopted", "completed", 2006)],
        ),
        (
            "In mid-2006, RMAC switched its records to IMSMA version 4.",
            [("database_introduced", "completed", 2006)],
        ),
        ("A national disability strategy, adopted in 2005, covers survivors.", []),
        # "never had"; a request granted as "it"; an agency's own instrument after a ";"
        (
            "Ruritania has never had a national mine action strategy.",
            [("strategy_adopted", "not_done", None)],
        ),
        (
            "A request to extend the deadline was submitted in March 2019, and the Review "
            "Conference granted it in November 2019.",
            [("extension_granted", "completed", 2019), ("extension_requested", "completed", 2019)],
        ),
        (
            "The guidelines are RMAC's own; UNDP, which had supported mine action, has its own "
            "regional gender strategy adopted in 2014.",
            [],
        ),
        # a move planned, a fundraising strategy lacking, an agency's own strategy
        (
            "In 2018, RMAC said that it planned to move to IMSMA Core once the new system was out.",
            [("database_introduced", "in_progress", 2018)],
        ),
        (
            "RMAC has no resource mobilisation strategy.",
            [("resource_mobilisation_strategy_adopted", "not_done", None)],
        ),
        (
            "UNDP, which had supported mine action in earlier years, has its own regional gender "
            "strategy adopted in 2014.",
            [],
        ),
        # an acronym in brackets does not stretch the distance from a draft to its approval
        (
            "National standards, drafted with support from the Geneva International Centre for "
            "Humanitarian Demining (GICHD), were approved by the minister in March 2013.",
            [("standards_adopted", "completed", 2013)],
        ),
        # a title ending "and Guidelines" is one name, not a new clause
        (
            "Revised National Technical Standards and Guidelines were issued by RMAC in 2014.",
            [("standards_adopted", "completed", 2014)],
        ),
        # "when" a body named with its acronym did something: a past event
        (
            "Understanding improved in 2015, when the Ruritanian Mine Action Centre (RMAC) "
            "completed a non-technical survey of every affected district.",
            [("baseline_survey_completed", "completed", 2015)],
        ),
        # a request told by its submission, with its date and the extension it asked for
        (
            "Following the submission of Ruritania's request in March 2013, the Meeting of "
            "States Parties agreed in December 2013 to extend the deadline.",
            [("extension_granted", "completed", 2013), ("extension_requested", "completed", 2013)],
        ),
        ("The submission of its request in 2020 for assistance from donors was late.", []),
        # a sector, office or department "for mine action" is a national body
        (
            "The new Sector for Mine Action, set up within the ministry by decree, began work "
            "in January 2019.",
            [("authority_established", "completed", 2019)],
        ),
        (
            "In 2019 an Office for Mine Action was set up.",
            [("authority_established", "completed", 2019)],
        ),
        # a chapter added to the standards, told by its verb or by a nominal with its date
        (
            "A chapter on CMR survey was added to the national standards in 2023.",
            [("standards_adopted", "completed", 2023)],
        ),
        (
            "The addition of a CMR chapter to the national standards in 2023 changed survey.",
            [("standards_adopted", "completed", 2023)],
        ),
        ("Clearance data were added to the national database in 2020.", []),
        # a participle after a lack describes what is lacking
        (
            "Ruritania does not yet have approved national standards.",
            [("standards_adopted", "not_done", None)],
        ),
        (
            "Ruritania still lacks approved national standards: a draft of 2011 was never adopted.",
            [("standards_adopted", "not_done", None)],
        ),
        # an operator's own policy, the operator named in an apposition
        (
            "One international operator, the HALO Trust, adopted an environmental policy in 2022.",
            [],
        ),
        # a handover told with its giver after "from"
        (
            "Management of the national database passed from UNMAS to the NMAA in March 2021.",
            [("national_handover", "completed", 2021)],
        ),
    ],
)
def test_sectors_for_mine_action_chapters_added_and_handovers_from(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # "when" with a past verb tells when something happened
        (
            "Completion by 2025 looks out of reach, four years after the deadline States "
            "Parties agreed to in November 2021, when they granted Ruritania its second "
            "extension.",
            [("extension_granted", "completed", 2021)],
        ),
        (
            "When the strategy was adopted in 2018, operators followed it.",
            [("strategy_adopted", "completed", 2018)],
        ),
        # ... and with a present or a perfect one, a condition: nothing happened
        ("When the strategy is adopted, operators will follow it.", []),
        ("When the standards have been approved, they will be published.", []),
    ],
)
def test_when_with_a_past_verb_is_no_condition(sentence, expected):
    assert events(sentence) == expected


def test_the_request_granted_in_the_next_sentence_is_the_extension_granted():
    found = developments.find(
        "The request was granted by the Tenth Meeting of States Parties in December 2010.",
        "In June 2010, Ruritania submitted a request for an extension.",
        2011,
    )
    assert [(e.event, e.stage, e.year) for e in found] == [("extension_granted", "completed", 2010)]
    found = events(
        "At the end of 2017, Ruritania said that it would probably need a further extension."
    )
    assert found == [("extension_requested", "in_progress", 2017)]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # a discourse marker between commas does not cut the sentence
        (
            "A national mine action strategy, however, has yet to be prepared.",
            [("strategy_adopted", "not_done", None)],
        ),
        (
            "There is still no dedicated mine action authority.",
            [("authority_established", "not_done", None)],
        ),
        # a sentence opening with a participle and a name: an adjective, not the verb
        (
            "Revised Ruritania Mine Action Standards were still being drafted at the time of "
            "writing.",
            [("standards_adopted", "in_progress", None)],
        ),
        (
            "Adopted in 2018, the national strategy runs to 2025.",
            [("strategy_adopted", "completed", 2018)],
        ),
        # funding obtained from a named donor
        (
            "The operator secured funding from the Ministry of Foreign Affairs in November 2018.",
            [("funding_secured", "completed", 2018)],
        ),
        (
            "In February 2008, Ruritania secured a new pledge from Germany to fund a survey team.",
            [("funding_secured", "completed", 2008)],
        ),
    ],
)
def test_asides_opening_adjectives_and_funding_obtained(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # a handover to a national body named by its acronym, done or planned
        (
            "The national IMSMA database, which had been run from the UN office abroad since "
            "2014, was handed over to RuMAC in September 2018.",
            [("national_handover", "completed", 2018)],
        ),
        (
            "A roadmap agreed in 2021 says management of the national IMSMA database is to pass "
            "from UNMAS to the NMAA by the end of 2023.",
            [("national_handover", "in_progress", 2021)],
        ),
        # "not yet developed"; a stalled law is still under way
        (
            "Ruritania has not yet developed a national mine action strategy.",
            [("strategy_adopted", "not_done", None)],
        ),
        (
            "A mine action law, first put before the Assembly in 2019, made no progress during "
            "2023 and remained stalled at the time of writing.",
            [("law_adopted", "in_progress", 2023)],
        ),
        # a database migration begun, still under way, or completed
        (
            "Work started early in 2021 on moving the records from the old IMSMA database to "
            "IMSMA Core, a migration that remained under way at the time of writing.",
            [("database_introduced", "in_progress", 2021)],
        ),
        (
            "Migration of the national database from the legacy IMSMA system to IMSMA Core was "
            "completed in October 2021.",
            [("database_introduced", "completed", 2021)],
        ),
    ],
)
def test_handovers_stalled_laws_and_database_migrations(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "A replacement for the national strategy, the last of which ran out in 2018, was "
            "being prepared.",
            [("strategy_adopted", "in_progress", None)],
        ),
        (
            "The national standards, first drafted in 2015, were approved by the authority.",
            [("standards_adopted", "completed", None)],
        ),
    ],
)
def test_a_date_in_an_aside_between_trigger_and_verb_dates_nothing(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # an international body hands what it ran to a named national body
        (
            "In 2016 the UN handed responsibility for coordinating clearance in the east to "
            "RNAC, keeping two advisers in the capital.",
            [("national_handover", "completed", 2016)],
        ),
        (
            "During 2019, the HALO Trust transferred all of its completion reports for the "
            "southern minefields to RNAC.",
            [("national_handover", "completed", 2019)],
        ),
        (
            "Control of the national IMSMA database, until then managed by UNDP for the "
            "ministry, was handed over to RNAC in 2021.",
            [("national_handover", "completed", 2021)],
        ),
        (
            "The Directorate took over responsibility for accrediting operators in the north "
            "from the United Nations in 2022.",
            [("national_handover", "completed", 2022)],
        ),
        (
            "In 2020 the OAS completed the handover of the victim records to the Army Corps "
            "of Engineers.",
            [("national_handover", "completed", 2020)],
        ),
        (
            "A gradual transfer of coordination functions from the UN centre to the RNAC "
            "began in 2017.",
            [("national_handover", "in_progress", 2017)],
        ),
        # not done, planned, land handed to communities, data sent to a system: no handover
        ("UNMAS has not yet handed over the database to RNAC.", []),
        ("HALO handed over 40 cleared minefields to the village councils in 2019.", []),
        ("Operators transferred their survey data to IMSMA in 2019.", []),
        # an extension request granted, told from the request
        (
            "Ruritania's request to extend its Article 5 deadline by four years was granted at "
            "the Meeting of States Parties in November 2019.",
            [("extension_granted", "completed", 2019)],
        ),
        (
            "Its request for a three-year extension of the Convention on Cluster Munitions "
            "deadline, submitted in March 2022, was granted in September 2022.",
            # the request and its grant, both told
            [("extension_granted", "completed", 2022), ("extension_requested", "completed", 2022)],
        ),
        (
            "The decision of the Twentieth Meeting, in November 2022, was to grant "
            "Ruritania's revised request.",
            [("extension_granted", "completed", 2022)],
        ),
        # new funding obtained, told by the donor's act or by the grant
        (
            "The European Union approved funding for a third phase of the clearance project "
            "in October 2021.",
            [("funding_secured", "completed", 2021)],
        ),
        (
            "In 2020 RNAC obtained a new two-year grant from Japan for survey in the west.",
            [("funding_secured", "completed", 2020)],
        ),
        ("The government has not allocated funds for clearance since 2015.", []),
    ],
)
def test_handovers_extensions_granted_and_new_funding(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # an extension asked for, in words other than "request for more time"
        (
            "In April 2021, Ruritania asked States Parties for a three-year interim extension "
            "of its Article 5 deadline.",
            [("extension_requested", "completed", 2021)],
        ),
        (
            "In March 2023 Ruritania asked the Meeting to give it four more years.",
            [("extension_requested", "completed", 2023)],
        ),
        (
            "Ruritania lodged a request in May 2022 for a further extension, to the end of 2027.",
            [("extension_requested", "completed", 2022)],
        ),
        (
            "Its request to extend the Convention on Cluster Munitions deadline, submitted in "
            "July 2021, seeks three more years.",
            [("extension_requested", "completed", 2021)],
        ),
        # an extension announced
        (
            "In June 2022 Ruritania told the intersessional meetings that it would ask for more "
            "time.",
            [("extension_requested", "in_progress", 2022)],
        ),
        (
            "In June 2021 the authority said it was preparing a third request.",
            [("extension_requested", "in_progress", 2021)],
        ),
        # a condition or an open question is no announcement
        ("Should it need more time, it would have to submit a request by March 2026.", []),
        ("Ruritania has not said whether it will request an extension.", []),
        # a survey of every area, a first systematic survey: the baseline
        (
            "In 2020 the RNAC completed a re-survey of every suspected area in the south.",
            [("baseline_survey_completed", "completed", 2020)],
        ),
        (
            "During 2019 the operator finished re-surveying every recorded minefield.",
            [("baseline_survey_completed", "completed", 2019)],
        ),
        (
            "In 2018 the HALO Trust completed the first systematic non-technical survey of the "
            "border districts.",
            [("baseline_survey_completed", "completed", 2018)],
        ),
        # technical survey of confirmed areas is land release, not a baseline
        ("Technical survey of all confirmed areas was completed in 2021.", []),
    ],
)
def test_extensions_asked_or_announced_and_surveys_of_every_area(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # a request submitted, its date before its object
        (
            "Ruritania submitted in May 2024 a request for a new deadline under the procedure "
            "for newly found mined areas.",
            [("extension_requested", "completed", 2024)],
        ),
        ("Ruritania had not submitted a request for an Article 5 deadline by 2024.", []),
        # a body set up: by decree, named by a nominal, or still a draft decree
        (
            "Ruritania set up the committee by presidential decree in 2003.",
            [("authority_established", "completed", 2003)],
        ),
        (
            "The government marked the change with the creation, by decree of the Council of "
            "Ministers in May 2022, of a National Authority for Mine Action.",
            [("authority_established", "completed", 2022)],
        ),
        (
            "A draft decree establishing a national mine action authority was sent to the "
            "Prime Minister in October 2023.",
            [("authority_established", "in_progress", 2023)],
        ),
        ("Operators await the creation of a national authority.", []),
        # funding told by the grant, then its verb
        (
            "The first grant for survey, from the Netherlands, was secured in 2023.",
            [("funding_secured", "completed", 2023)],
        ),
        ("Funding for clearance had not been secured by 2024.", []),
        # an information system lacking, records moved onto IMSMA Core
        (
            "Ruritania still lacks a national information management system.",
            [("database_introduced", "not_done", None)],
        ),
        (
            "RNAC moved its clearance records onto IMSMA Core during 2022.",
            [("database_introduced", "completed", 2022)],
        ),
        (
            "RNAC has not set out a resource mobilisation strategy.",
            [("resource_mobilisation_strategy_adopted", "not_done", None)],
        ),
        # the year in a war's name is no date of the event
        (
            "Three decades after the 1991 Gulf War, Ruritania has not joined the Convention on "
            "Cluster Munitions.",
            [("ccm_accession", "not_done", None)],
        ),
    ],
)
def test_requests_bodies_by_decree_grants_and_information_systems(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "sentence,previous,expected",
    [
        # the instrument of the sentence before, as the object of its approval
        (
            "The Council of Ministers approved it in March 2016.",
            "A national strategy for 2016-2020 was drafted in 2015.",
            [("strategy_adopted", "completed", 2016)],
        ),
        (
            "They were revised in 2019 to cover battle area clearance.",
            "Clearance follows national standards based on IMAS.",
            [("standards_adopted", "completed", 2019)],
        ),
        # nothing named before: "it" is anything
        ("The army approved it in 2015.", "Clearance resumed in the north.", []),
        # the request of the sentence before, as the subject of the next one only
        (
            "In 2019, the request was granted by the States Parties.",
            "Ruritania asked for an extension of its deadline in 2018.",
            [("extension_granted", "completed", 2019)],
        ),
        (
            "A plan, derived from the work plan in the request, was approved in 2019.",
            "Ruritania asked for an extension of its deadline in 2018.",
            [("strategy_adopted", "completed", 2019)],
        ),
        # a commitment of money, and a handover intended
        (
            "In 2015 the government committed a further £12 million to the next phase.",
            "",
            [("funding_secured", "completed", 2015)],
        ),
        (
            "The island government intends to take over the database once clearance ends.",
            "",
            [("national_handover", "in_progress", None)],
        ),
    ],
)
def test_anaphora_commitments_and_handovers_intended(sentence, previous, expected):
    found = developments.find(sentence, previous, 2024)
    assert [(e.event, e.stage, e.year) for e in found] == expected


@pytest.mark.parametrize(
    "sentence,previous,expected",
    [
        (
            "A nationwide assessment of suspected areas, carried out by the RNAC, was completed "
            "in November 2016.",
            "",
            [("baseline_survey_completed", "completed", 2016)],
        ),
        (
            "Parliament gave its consent in 2020 and the instrument of ratification was "
            "deposited on 2 March 2021.",
            "Ruritania signed the Convention on Cluster Munitions in 2008.",
            [("ccm_accession", "completed", 2021)],
        ),
        (
            "In 2019 the army began recording clearance in an IMSMA database, the first use "
            "of the system in the country.",
            "",
            [("database_introduced", "completed", 2019)],
        ),
        (
            "The UNDP adviser left in mid-2012, when management of the programme was handed "
            "over entirely to Ruritanian staff.",
            "",
            [("national_handover", "completed", 2012)],
        ),
    ],
)
def test_assessments_deposits_first_use_and_handover_to_national_staff(
    sentence, previous, expected
):
    found = developments.find(sentence, previous, 2024)
    assert [(e.event, e.stage, e.year) for e in found] == expected


def test_a_body_named_by_its_acronym_after_a_parenthesis_or_by_an_order():
    text = (
        "Inter-Agency Committee on Explosive Hazards (IACEH), created by executive order in "
        "March 2020\n"
    )
    named = developments.named_authorities(text, developments.defined_acronyms(text))
    found = developments.find(text.strip(), "", 2021, named=named)
    assert [(e.event, e.stage, e.year) for e in found] == [
        ("authority_established", "completed", 2020)
    ]
    assert events("In 2011 a decree creating the National Mine Action Authority was signed.") == [
        ("authority_established", "completed", 2011)
    ]
    assert events("A draft decree creating a national mine action authority was written.") == [
        ("authority_established", "in_progress", None)
    ]
    # a decree not yet signed creates nothing
    assert events("A decree creating a national mine action authority awaits signature.") == []
    # an international body named by its acronym is never set up as the country's
    text = (
        "The migration, completed in 2020 with support from the Geneva International Centre "
        "for Humanitarian Demining (GICHD), created a new field."
    )
    named = developments.named_authorities(text, developments.defined_acronyms(text))
    assert developments.find(text, "", 2021, named=named) == []


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # an aside on how the instrument was made does not keep its predicate from it
        (
            "The national strategy for 2019-2023, prepared with support from UNDP and discussed "
            "with operators over many months, was validated at a workshop in March 2019.",
            [("strategy_adopted", "completed", 2019)],
        ),
        (
            "The national standards for survey and clearance, on which the RNAC had been "
            "working since 2016, were finally signed off by the minister in May 2018.",
            [("standards_adopted", "completed", 2018)],
        ),
        # ... and its date stays the draft's
        (
            "Draft national standards, written by the RNAC in 2015, had still not been formally "
            "adopted by the end of 2016.",
            [("standards_adopted", "in_progress", 2015)],
        ),
        (
            "Its national standards, too, were brought up to date during 2017.",
            [("standards_adopted", "completed", 2017)],
        ),
        # work on an instrument going on, not stopped
        (
            "Work on a five-year national mine action strategy continued in 2019.",
            [("strategy_adopted", "in_progress", 2019)],
        ),
        ("Work on a national strategy stopped in 2023 when the war began.", []),
        # a law put before the legislature, or told by what it is to do
        (
            "A draft mine action law was introduced in Parliament in 2019.",
            [("law_adopted", "in_progress", 2019)],
        ),
        (
            "Legislation to give the RNAC a statutory basis was drafted during 2020.",
            [("law_adopted", "in_progress", 2020)],
        ),
        # "first put before the Assembly in 2019" is the law's history: its status is 2023's
        (
            "A mine action law, first put before the Assembly in 2019, made no progress during "
            "2023.",
            [("law_adopted", "in_progress", 2023)],
        ),
    ],
)
def test_asides_on_making_work_on_and_laws_before_the_legislature(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a body named by its acronym, the verb before it or in a relative clause after it
        (
            "The Council of Ministers set up RNAO in May 2002. The Ruritania National Mine "
            "Action Office (RNAO) coordinates clearance.",
            [("authority_established", "completed", 2002)],
        ),
        (
            "In 2014, the new government created the Ruritania Explosive Management Authority "
            "(REMA) to coordinate clearance.",
            [("authority_established", "completed", 2014)],
        ),
        (
            "RuMAC, which the Ministry of Defence created in June 2012, coordinates clearance.",
            [("authority_established", "completed", 2012)],
        ),
        # the body acting, a possessive, a negation: no body set up
        ("The RuMAC established a working group in 2019.", []),
        ("The government has not yet established the RuMAC.", []),
    ],
)
def test_a_named_body_set_up_by_an_active_verb(text, expected):
    named = developments.named_authorities(text, developments.defined_acronyms(text))
    sentence = text.split(". ")[0]
    found = developments.find(sentence, "", 2024, named=named)
    assert [(e.event, e.stage, e.year) for e in found] == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "The new deadline, which States Parties agreed to in late 2018, was granted on the "
            "understanding that Ruritania would produce an annual work plan.",
            [("extension_granted", "completed", 2018)],
        ),
        (
            "The RNAC's database was converted to IMSMA Core over the course of 2021.",
            [("database_introduced", "completed", 2021)],
        ),
        (
            "In 2022, the RNAC put a new national database into service.",
            [("database_introduced", "completed", 2022)],
        ),
        (
            "The RNAC moved its data from the legacy IMSMA system to IMSMA Core during 2023.",
            [("database_introduced", "completed", 2023)],
        ),
    ],
)
def test_deadlines_granted_and_databases_converted(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # a draft not finalised is still a draft; a draft law not passed is not done (gold)
        (
            "Draft standards for battle area clearance, prepared in 2019, have not been finalised.",
            [("standards_adopted", "in_progress", 2019)],
        ),
        (
            "A draft law giving the RNAC a mandate had still not been passed by parliament.",
            [("law_adopted", "not_done", None)],
        ),
        (
            "The board approved a national clearance plan for 2016-2018 in March 2016.",
            [("strategy_adopted", "completed", 2016)],
        ),
        (
            "A gender and diversity policy has been in place since 2020.",
            [("gender_policy_adopted", "completed", 2020)],
        ),
        # handovers: management passed to national staff, responsibility to a named body
        (
            "Management of the national database passed to Ruritanian staff of the centre in "
            "May 2005, when the last adviser left.",
            [("national_handover", "completed", 2005)],
        ),
        (
            "When United Nations support ended in 2012, responsibility for all remaining "
            "clearance and record-keeping was handed over to the Ruritania Army centre.",
            [("national_handover", "completed", 2012)],
        ),
        (
            "Coordination of operations and all paper records were handed over to the RNC's "
            "secretariat in June 2015.",
            [("national_handover", "completed", 2015)],
        ),
        (
            "In 2021, Ruritania secured its first international funding for survey.",
            [("funding_secured", "completed", 2021)],
        ),
        (
            "Environmental management guidelines for clearance were issued by the RNAC in "
            "March 2022.",
            [("environment_policy_adopted", "completed", 2022)],
        ),
        (
            "The Meeting of States Parties in December 2019 set 1 March 2023 as Ruritania's new "
            "clearance deadline.",
            [("extension_granted", "completed", 2019)],
        ),
        (
            "The army's demining procedures were rewritten during 2014.",
            [("procedures_revised", "completed", 2014)],
        ),
        (
            "In May 2013, the navy said it planned to start using IMSMA within the year.",
            [("database_introduced", "in_progress", 2013)],
        ),
        (
            "The programme is run by a demining coordination office in the ministry, created in "
            "2018.",
            [("authority_established", "completed", 2018)],
        ),
    ],
)
def test_drafts_plans_handovers_and_first_funding(sentence, expected):
    assert events(sentence) == expected


def test_a_body_named_in_spanish_set_up_by_decree():
    text = "The Comision Nacional de Desminado (CND) was created by executive decree in 2013."
    named = developments.named_authorities(text, developments.defined_acronyms(text))
    found = developments.find(text, "", 2015, named=named)
    assert [(e.event, e.stage, e.year) for e in found] == [
        ("authority_established", "completed", 2013)
    ]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # an operator's or a UN agency's own instrument is not the country's follow-up ...
        (
            "In 2019, The HALO Trust installed its own IMSMA database to store its survey results.",
            [],
        ),
        ("In 2021, UNMAS introduced an environmental management framework for its operators.", []),
        # ... but a survey it finishes, or a handover, is
        (
            "The HALO Trust finished a non-technical survey of all accessible districts in 2020.",
            [("baseline_survey_completed", "completed", 2020)],
        ),
        # a grant conditional on access is no extension granted
        ("The deadline could be met if access to the north were granted for survey.", []),
        # "No ... has ever been conducted": not done, and nothing completed
        (
            "No nationwide survey has ever been conducted and a baseline has yet to be "
            "established.",
            [("baseline_survey_completed", "not_done", None)],
        ),
    ],
)
def test_operators_own_instruments_conditions_and_never_conducted(sentence, expected):
    assert events(sentence) == expected


def test_a_secretariat_for_demining_set_up_by_decree_in_the_next_sentence():
    found = developments.find(
        "It was set up by ministerial decree in 2006 to coordinate clearance.",
        "Clearance is coordinated by the Secretariat for Demining of the Ministry of Planning.",
        2020,
    )
    assert [(e.event, e.stage, e.year) for e in found] == [
        ("authority_established", "completed", 2006)
    ]


def test_accession_under_consideration_after_a_sentence_about_the_convention():
    found = developments.find(
        'In April 2012, an official told the Monitor that accession was "under active '
        'consideration".',
        "Ruritania has not acceded to the Mine Ban Treaty.",
        2012,
    )
    assert [(e.event, e.stage, e.year) for e in found] == [("apmbc_accession", "in_progress", 2012)]
    found = events(
        'Officials said in 2021 that joining the CCM was "not currently under consideration".'
    )
    assert found == [("ccm_accession", "not_done", 2021)]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "In June 2024, Ruritania said that it would create a national structure to "
            "coordinate humanitarian demining within the Ministry of Defence.",
            [("authority_established", "in_progress", 2024)],
        ),
        (
            "A decree creating a national body to coordinate humanitarian mine action was "
            "drafted in mid-2019, but it had not been adopted by mid-2020.",
            [("authority_established", "in_progress", 2019)],
        ),
        # the body drafting something else is not the body being set up
        (
            "The Directorate of Mine Action Coordination drafted a new strategic plan in 2020.",
            [("strategy_adopted", "in_progress", 2020)],
        ),
    ],
)
def test_a_national_body_to_coordinate_demining(sentence, expected):
    assert events(sentence) == expected


def test_monitor_labels_for_the_authority_and_a_law_named_then_denied():
    result = extract(
        "Mine action management",
        "Mine action legislation",
        "Law on the Mine Ban Treaty (Law No. 021-2001); no law on mine action",
        "National mine action authority: None; the Ministry of Defence acts as focal point",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [("law_adopted", "not_done", None), ("authority_established", "not_done", None)]


@pytest.mark.parametrize(
    "sentence,report_year,expected",
    [
        # "awaiting the approval", dated by its own "in mid-2018", not the draft's period
        (
            "A draft mine action strategy covering 2018-2025, which the centre prepared with "
            "support from UNDP, was still awaiting the approval of the Council of Ministers in "
            "mid-2018.",
            2018,
            [("strategy_adopted", "in_progress", 2018)],
        ),
        # "by the end of" after a negation says as of when
        (
            "The national mine action authority that the law foresees had still not been set up "
            "by the end of 2021.",
            2022,
            [("authority_established", "not_done", 2021)],
        ),
        # ... and before a plan, it is the target: no event date
        (
            "The strategy is to be adopted by the end of 2019.",
            2019,
            [("strategy_adopted", "in_progress", None)],
        ),
        # "before the October 2018 elections" is no date of the event
        (
            "Amendments to the mine action law were drafted but nobody expects a vote before the "
            "October 2018 elections.",
            2018,
            [("law_adopted", "in_progress", None)],
        ),
    ],
)
def test_dates_of_waiting_and_of_not_yet(sentence, report_year, expected):
    assert events(sentence, report_year) == expected


def test_a_relative_clause_between_a_trigger_and_its_verb():
    """What a ", which ...," clause names does not take the verb after the clause, and does
    not stop the noun before it from taking it."""
    found = events(
        "The revised standards, which introduce land release procedures for the first time, "
        "were approved by the authority in February 2012.",
        2012,
    )
    assert found == [("standards_adopted", "completed", 2012)]
    found = events(
        "National standards, which the commission approved in November 2009, are intended to "
        "apply to military and civilian operators alike.",
        2010,
    )
    assert found == [("standards_adopted", "completed", 2009)]


def test_it_was_established_right_after_a_sentence_naming_the_body():
    previous = "The Ruritania Mine Action Centre coordinates demining for the government."
    found = developments.find("It was established in 2005 to replace a committee.", previous, 2008)
    assert [(e.event, e.stage, e.year) for e in found] == [
        ("authority_established", "completed", 2005)
    ]
    unrelated = developments.find("It was established in 2005.", "The strategy runs to 2010.", 2008)
    assert unrelated == []


def test_a_mine_action_plan_without_national_is_a_strategy_but_a_policy_is_not():
    found = events(
        "Work is guided by the Mine Action Plan 2004-2009, which the centre intends to revise "
        "in 2008.",
        2008,
    )
    assert found == [("strategy_adopted", "in_progress", 2008)]
    found = events(
        "The National Mine Action Committee had been set up in June 1998 to oversee mine action "
        "policy.",
        2008,
    )
    assert found == [("authority_established", "completed", 1998)]


def test_a_score_table_row_is_no_label():
    result = extract(
        "Performance Indicator",
        "Score",
        "National mine action standards",
        "8",
        "Reporting on progress",
        "5",
    )
    assert result.developments == []


def test_developments_come_from_text_not_from_recommendations():
    result = extract(
        "Key Developments",
        "Ruritania launched its national mine action strategy in May 2023.",
        "Recommendations for Action",
        "• The RMAC should adopt national standards, which were approved in draft in 2022.",
        "• The RMAC should report on the strategy adopted in 2023.",
    )
    assert [(d.event, d.stage, d.year) for d in result.developments] == [
        ("strategy_adopted", "completed", 2023)
    ]


def test_unheaded_text_after_the_list_is_read_and_implied_years_are_report_year_minus_one():
    result = extract(
        "Clearing the Mines 2021",
        "Performance Commentary",
        "A draft national strategy was being prepared.",
        "Recommendations for Action",
        "• Ruritania should adopt the strategy.",
        "",
        "On the basis of a baseline survey completed in 2019, the RMAC estimated 30km2 of "
        "contamination.",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [
        ("strategy_adopted", "in_progress", 2020),
        ("baseline_survey_completed", "completed", 2019),
    ]


def test_the_request_in_the_next_sentence_is_the_extension_request():
    result = extract(
        "Key Developments",
        "Ruritania was granted a one-year extension to its Article 5 deadline in 2021. The "
        "request was prepared and submitted by the permanent mission in Geneva.",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [
        ("extension_granted", "completed", 2021),
        ("extension_requested", "completed", 2021),
    ]


def test_a_request_submitted_and_then_approved():
    found = events(
        "Ruritania submitted its request for an extension in March 2017, and the request was "
        "approved that December."
    )
    assert sorted(found) == [
        ("extension_granted", "completed", 2017),
        ("extension_requested", "completed", 2017),
    ]


def test_a_chain_of_cues_stops_at_another_event():
    found = events(
        "In mid-2010 a national mine action strategy was still being drafted, and no national "
        "standards had yet been issued."
    )
    assert found == [
        ("strategy_adopted", "in_progress", 2010),
        ("standards_adopted", "not_done", 2010),
    ]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "A new mine action law, which would create a national authority, was still waiting "
            "to be passed by parliament at the end of 2023.",
            [("law_adopted", "in_progress", 2023)],
        ),
        (
            "A national strategy, which would run to 2030, was approved by the Council of "
            "Ministers in June 2023.",
            [("strategy_adopted", "completed", 2023)],
        ),
        (
            "The draft law, which would establish a national mine action authority, has yet "
            "to be adopted.",
            [("law_adopted", "not_done", None)],
        ),
        (
            "Parliament approved the mine action law, which would establish an authority, in 2022.",
            [("law_adopted", "completed", 2022)],
        ),
        # what the clause says is not the event, nor its year
        (
            "The strategy, which would be launched in 2025, is under review.",
            [("strategy_adopted", "in_progress", None)],
        ),
    ],
)
def test_a_hypothetical_clause_between_trigger_and_predicate_is_read_past(sentence, expected):
    """ ", which would ...,": what the clause says did not happen (its verbs, events and years
    are not read), and the predicate after it is the trigger's."""
    assert events(sentence) == expected


def test_a_year_followed_by_deadline_is_no_event_date():
    found = events(
        "At the intersessional meetings in June 2024, Ruritania told other States Parties "
        "that it intends to ask for more time beyond its 1 April 2027 deadline."
    )
    assert found == [("extension_requested", "in_progress", 2024)]
    found = events("Ruritania said it would request an extension of its 2025 deadline.")
    assert found == [("extension_requested", "in_progress", None)]


def test_a_planned_year_after_the_report_does_not_date_an_intention():
    """The intention is dated when it was stated; the year it plans for is not an event."""
    found = events(
        "In June 2019, the mine action centre told States Parties that Ruritania would not "
        "finish in time and intended to submit a further extension request in 2020.",
        2019,
    )
    assert found == [("extension_requested", "in_progress", 2019)]


def test_a_deadline_year_does_not_date_an_intention():
    found = events(
        "In April 2006, Ruritania said it would not finish by the February 2007 deadline and "
        "that it intended to request an extension.",
        2006,
    )
    assert found == [("extension_requested", "in_progress", 2006)]


def test_a_summary_section_is_read():
    result = extract(
        "SUMMARY",
        "Ruritania adopted its national mine action strategy in May 2017.",
        "RECOMMENDATIONS FOR ACTION",
        "■ Ruritania should report.",
    )
    assert [(d.event, d.stage, d.year) for d in result.developments] == [
        ("strategy_adopted", "completed", 2017)
    ]


def test_a_dated_statement_wins_over_an_undated_one_of_the_same_event():
    result = extract(
        "Key Developments",
        "Ruritania's deadline is 1 June 2021 (five-year extension requested).",
        "In March 2020, Ruritania submitted a request to extend its Article 4 deadline.",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [("extension_requested", "completed", 2020)]


def test_a_sentence_opening_with_a_date_dates_its_events():
    result = extract(
        "Key Developments",
        "In May 2012, the authority told States Parties that some areas would not be cleared "
        "by March 2014 along the power line in the north-west of the country, and that it was "
        "considering asking for a further, shorter extension.",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [("extension_requested", "in_progress", 2012)]


def test_a_fact_stated_twice_is_one_development():
    result = extract(
        "Key Developments",
        "The impact survey, completed in March 2003, found 300 affected communities.",
        "A comprehensive impact survey began in May 2002 and was completed in March 2003.",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [("baseline_survey_completed", "completed", 2003)]


def test_developments_are_in_the_json_contract():
    result = extract(
        "Key Developments", "Ruritania launched its national mine action strategy in May 2023."
    )
    (dev,) = result.to_json()["developments"]
    assert {k: dev[k] for k in ("event", "topic", "stage", "year", "month", "page")} == {
        "event": "strategy_adopted",
        "topic": "strategy",
        "stage": "completed",
        "year": 2023,
        "month": 5,
        "page": 1,
    }
    assert dev["sentence"] == "Ruritania launched its national mine action strategy in May 2023."
    assert dev["rule"].startswith("strategy_adopted/completed:")


def test_development_finder_is_a_spacy_component_writing_doc_extension():
    pipe = developments.pipeline()
    assert pipe.pipe_names == ["sentencizer", "development_finder"]
    doc = pipe("Nothing happened. Ruritania adopted a mine action law in 2020.")
    ((start, end, event),) = doc._.events
    assert doc.text[start:end] == "Ruritania adopted a mine action law in 2020."
    assert (event.event, event.stage, event.year) == ("law_adopted", "completed", 2020)


def test_has_still_to_is_not_done():
    assert events("Ruritania has still to develop a national mine action strategy.") == [
        ("strategy_adopted", "not_done", None)
    ]


def test_an_instrument_adopted_in_the_sentence_after_the_one_naming_it():
    result = extract(
        "Ruritania",
        "Strategic planning",
        "The National Strategy on Humanitarian Mine Action for 2017-2020 sets out targets for "
        "survey and clearance. It was approved by the government in 2017. Operators were "
        "consulted on its targets.",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert ("strategy_adopted", "completed", 2017) in found


def test_an_event_of_another_country_is_not_this_ones():
    result = extract(  # a real country: the document's country must be known
        "Armenia",
        "Mine Action",
        "Last updated: 10 November 2020",
        "Armenia adopted national mine action standards in 2019. Neighbouring Georgia, for "
        "its part, adopted a national mine action strategy in 2019. Malawi, which also "
        "declared completion in 2015, adopted a residual contamination strategy in 2016.",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [("standards_adopted", "completed", 2019)]


@pytest.mark.parametrize(
    "sentence,code",
    [
        ("Neighbouring Georgia, for its part, adopted a strategy.", "GEO"),
        ("The Democratic Republic of the Congo adopted standards.", "COD"),
        ("Bosnia and Herzegovina's parliament passed the law.", "BIH"),
        ("DMA's environmental standard was issued in 2023.", None),  # an acronym, no code
        # ... but after "neighbouring" an acronym is a country's
        ("In neighbouring DRC, the government submitted a request in 2014.", "COD"),
        # a regional frame before the country
        ("In the wider region, Azerbaijan adopted new standards in 2024.", "AZE"),
        ("Elsewhere in the region, Iraq's directorate adopted standards in 2017.", "IRQ"),
        ("The government adopted a strategy.", None),
    ],
)
def test_the_country_a_sentence_opens_with(sentence, code):
    found = countries.subject_country(sentence)
    assert (found.code if found else None) == code


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # one verb, two treaties, each with its own date
        (
            "Palestine acceded to the Convention on Cluster Munitions in January 2015 and to the "
            "Mine Ban Treaty in December 2017.",
            [("ccm_accession", "completed", 2015), ("apmbc_accession", "completed", 2017)],
        ),
        # a handover told with its object between "handed" and "over"
        (
            "In September 2022, UNMAS handed the IMSMA database for the area over to SMACO.",
            [("national_handover", "completed", 2022)],
        ),
        # "since 2014" dates nothing, but "since 2014, when ..." dates what the clause tells
        (
            "The programme has been run by the government since 2014, when UNDP handed "
            "management over to national control.",
            [("national_handover", "completed", 2014)],
        ),
        (
            "The armed group has been committed not to use anti-personnel mines since November "
            "2005, when it signed Geneva Call's Deed of Commitment.",
            [("ban_commitment", "completed", 2005)],
        ),
    ],
)
def test_coordinated_treaties_split_handovers_and_when_clauses(sentence, expected):
    assert events(sentence) == expected


def test_an_instrument_named_by_the_acronym_the_document_gave_it():
    result = extract(
        "Kosovo",
        "Mine Action",
        "Last updated: 10 November 2019",
        "The Kosovo Mine Action Standards (KMAS) were first issued in 2012. A revision of the "
        "KMAS began in 2019 and is expected to be finalised in 2020.",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [
        ("standards_adopted", "completed", 2012),
        ("standards_adopted", "in_progress", 2019),
    ]
    # the acronym of a body is not an instrument: only its setting up is an event
    spelled = developments.spelled_triggers({"lebanon mine action centre": "LMAC"})
    assert spelled is None


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # the main verb after a long participial aside; the GICHD is no national body
        (
            "Revised national mine action standards, drawn up with the help of the Geneva "
            "International Centre for Humanitarian Demining (GICHD), were issued in 2015.",
            [("standards_adopted", "completed", 2015)],
        ),
        ("The draft law is awaiting a vote in parliament.", [("law_adopted", "in_progress", None)]),
        (
            "In March 2021, UNMAS transferred management of the IMSMA database for the West "
            "Bank to PMAC.",
            [("national_handover", "completed", 2021)],
        ),
        (
            "In 2020, the Netherlands became a new donor to the centre's survey work.",
            [("funding_secured", "completed", 2020)],
        ),
    ],
)
def test_main_verbs_after_asides_votes_transfers_and_new_donors(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "The commission told Mine Action Review it expected to ask States Parties for a "
            "further extension.",
            [("extension_requested", "in_progress", None)],
        ),
        (
            "The law on mine action adopted in December 2018 took effect in 2019.",
            [("law_adopted", "completed", 2018)],
        ),
        (
            "The draft demining law was still before the Council of Ministers at the end of 2020.",
            [("law_adopted", "in_progress", 2020)],
        ),
        (
            "In November 2018, the authority said that accession to the Convention on Cluster "
            "Munitions was before the Council of Ministers for consideration.",
            [("ccm_accession", "in_progress", 2018)],
        ),
        (
            "The Government's Mine Action Programme for 2020-2026, adopted in 2020, sets out the "
            "path to completion.",
            [("strategy_adopted", "completed", 2020)],
        ),
    ],
)
def test_requests_laws_and_plans_told_in_other_words(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "In November 2019, States Parties gave Testland an interim extension of three years.",
            [("extension_granted", "completed", 2019)],
        ),
        (
            "It was given a ten-year extension in December 2010.",
            [("extension_granted", "completed", 2010)],
        ),
        # "gave notice" grants nothing
        (
            "In 2019 Testland gave notice that it would submit a request for an extension.",
            [("extension_requested", "in_progress", 2019)],
        ),
        (
            "The centre brought in a gender and diversity policy during 2021.",
            [("gender_policy_adopted", "completed", 2021)],
        ),
        (
            "Testland has not yet drawn up any environmental policy to guide demining.",
            [("environment_policy_adopted", "not_done", None)],
        ),
        (
            "In March 2024, Testland lodged a request for a further five years to meet its "
            "Article 4 obligations.",
            [("extension_requested", "completed", 2024)],
        ),
        # the subject body lacks the strategy; the body itself exists
        (
            "The Directorate of Mine Action (DMA) still has no approved national mine action "
            "strategy.",
            [("strategy_adopted", "not_done", None)],
        ),
    ],
)
def test_extensions_given_policies_brought_in_or_not_drawn_up(sentence, expected):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "In 2019 the centre adopted a Gender Mainstreaming in Mine Action Plan for 2019-2023.",
            [("gender_policy_adopted", "completed", 2019)],
        ),
        # the negation of a draft is no draft
        (
            "There is no specific law on mine action, and none is under preparation.",
            [("law_adopted", "not_done", None)],
        ),
        (
            "A revision of the national mine action standards, led by the centre, was "
            "completed in 2020.",
            [("standards_adopted", "completed", 2020)],
        ),
        # a review done is no revision of the strategy
        (
            "The review of the strategy was completed in 2019; a new draft is being prepared.",
            [],
        ),
        # the draft's year is not the year it was still not adopted
        (
            "Reform is slow: the demining law proposed in 2017 has not been adopted.",
            [("law_adopted", "not_done", None)],
        ),
    ],
)
def test_gender_plans_revisions_completed_negated_drafts_and_the_year_of_a_draft(
    sentence, expected
):
    assert events(sentence) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        (
            "A successor covering 2025-2029 was being drafted by the centre in 2024.",
            [("strategy_adopted", "in_progress", 2024)],
        ),
        (
            "Its replacement was formally approved in May 2024.",
            [("strategy_adopted", "completed", 2024)],
        ),
        # a successor to nothing named: no event
        ("A successor was appointed in 2024.", []),
    ],
)
def test_a_successor_to_the_strategy_of_the_sentence_before(sentence, expected):
    previous = "The national mine action strategy for 2019-2023 expired at the end of 2023."
    found = developments.find(sentence, previous, 2024)
    assert [(e.event, e.stage, e.year) for e in found] == expected


def test_a_body_named_for_explosive_management_is_a_mine_action_body():
    document = "The Ruritanian Explosive Management Authority (REMA) leads the programme."
    named = developments.named_authorities(document)
    found = developments.find("REMA was created in 2013 under the Prime Minister.", "", 2024, named)
    assert [(e.event, e.stage, e.year) for e in found] == [
        ("authority_established", "completed", 2013)
    ]


def test_an_undated_label_line_gives_way_to_the_dated_telling_of_the_same_event():
    result = extract(
        "Mine action management",
        "National mine action authority",
        "Ruritanian Mine Action Centre (RMAC)",
        "Mine action standards",
        "National standards",
        "",
        "RMAC was established by decree in 2009 and reports to the Ministry of Defence.",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [
        ("standards_adopted", "completed", None),  # told nowhere else: the label stands
        ("authority_established", "completed", 2009),
    ]


def test_the_text_under_a_key_data_block_and_programme_subheadings_is_read():
    """A "Key data" block (label lines) and the narrative after it, and the narrative under
    subheadings such as "Standards" and "Strategic planning", are read for events."""
    result = extract(
        "Ruritania",
        "Last updated: 1 November 2021",
        "Key data",
        "Mine action strategic plan",
        "No current plan (the 2016-2020 plan has run out)",
        "",
        "The mine action centre was moved to the Ministry of Defence in 2017.",
        "",
        "Standards",
        "",
        "A revision of the national mine action standards was completed in 2020.",
        "",
        "Strategic planning",
        "",
        "A new national mine action strategy for 2022-2026 was being drafted in 2021.",
    )
    found = [(d.event, d.stage, d.year) for d in result.developments]
    assert found == [
        ("strategy_adopted", "not_done", 2020),
        ("standards_adopted", "completed", 2020),
        ("strategy_adopted", "in_progress", 2021),
    ]
