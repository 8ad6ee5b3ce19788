"""Recommendations for Action: finding the section, splitting items, reading each ask.

Every document and sentence here is our own, shaped like the real pages (see SOURCES.md).
"""

from __future__ import annotations

import pytest

from extractor import recommendations
from extractor.pipeline import extract_bytes

KEY_DEVELOPMENTS = [
    "Key Developments",
    "",
    "In 2023, Ruritania released 3.2km2 of land through clearance and technical survey.",
    "",
]
DOWNLOAD = [
    "",
    'Download the full "Clearing the Mines 2024" report for Ruritania',
    "",
    'Click here to download the "Clearing the Mines 2024" report for Ruritania.',
]
ASKS = [
    "Ruritania should adopt its draft national mine action strategy as soon as possible.",
    "The RMAC should disaggregate land release data by method.",
    "Increased resources should be allocated to survey of the northern districts.",
]


def extract(*lines: str):
    return extract_bytes("\n".join(lines).encode("utf-8"), "text/plain")


def texts(result) -> list[str]:
    return [r.text for r in result.recommendations]


# -- bullets ---------------------------------------------------------------------------------
def bulleted(marker: str) -> list[str]:
    return [f"  {marker} {ask}" for ask in ASKS]


def lone_marker(marker: str) -> list[str]:
    return [line for ask in ASKS for line in (marker, ask)]


@pytest.mark.parametrize(
    "items",
    [
        pytest.param(bulleted("•"), id="round bullet"),
        pytest.param(bulleted("■"), id="square bullet (PDF)"),
        pytest.param(bulleted(">"), id="chevron (PDF)"),
        pytest.param(bulleted("ŸŸ"), id="double Y (Monitor PDF)"),
        pytest.param(bulleted("-"), id="dash"),
        pytest.param(["-", *ASKS], id="one lone dash, then unbulleted asks (2024)"),
        pytest.param(lone_marker("•"), id="bullet alone on its line"),
        pytest.param(list(ASKS), id="no bullets at all"),
        pytest.param(["■ " + " ■ ".join(ASKS)], id="every item on one PDF line"),
        pytest.param([f"{n}. {ask}" for n, ask in enumerate(ASKS, 1)], id="numbered 1."),
        pytest.param(
            [f"({c}) {ask}" for c, ask in zip("abc", ASKS, strict=True)], id="lettered (a)"
        ),
    ],
)
def test_every_bullet_style_gives_the_same_items(items):
    result = extract(*KEY_DEVELOPMENTS, "Recommendations for Action", "", *items, *DOWNLOAD)
    assert texts(result) == ASKS
    assert [r.position for r in result.recommendations] == [1, 2, 3]


# -- headings and where the section sits --------------------------------------------------------
@pytest.mark.parametrize(
    "heading",
    [
        "Recommendations for Action",
        "Recommendation for Action",
        "RECOMMENDATIONS FOR ACTION",
        "Recommendations for action",
        "Recommendations",
    ],
)
def test_every_heading_variant(heading):
    result = extract(*KEY_DEVELOPMENTS, heading, "", *bulleted("•"), *DOWNLOAD)
    assert texts(result) == ASKS


MONITOR_2015 = [
    "Ruritania",
    "Mine Action",
    "Last updated: 20 November 2015",
    "Article 5 deadline: 1 March 2019",
    "(Not on track to meet deadline)",
    "Recommendations for action",
    *bulleted("•"),
    "Contamination",
    "Ruritania is affected by mines laid during the border war of the 1990s.",
]
MONITOR_2016 = [
    "Ruritania",
    "Mine Action",
    "Last updated: 20 November 2016",
    "Contaminated by: landmines (medium contamination).",
    "At the end of 2015, Ruritania had 12km2 of confirmed mined area.",
    "Recommendations for action",
    *bulleted("•"),
    "Contamination",
    "The mined areas lie along the southern border.",
]
MAR_2017 = [
    "Performance Commentary",
    "Ruritania's clearance output rose in 2016 as two new operators were accredited.",
    "Recommendations for Action",
    *bulleted("•"),
    *DOWNLOAD,
]
MAR_2024 = [
    "Ruritania",
    *KEY_DEVELOPMENTS,
    "Five-Year Overview",
    "Ruritania has cleared steadily over the last five years.",
    "Recommendations for Action",
    "-",
    *ASKS,
    *DOWNLOAD,
]
PDF_CHAPTER = [
    "CLEARING THE MINES 2019",
    "KEY DEVELOPMENTS In 2018, Ruritania cleared 0.4km2 of mined area.",
    "RECOMMENDATIONS FOR ACTION",
    *bulleted("■"),
    "mineactionreview.org 181 ASSESSMENT OF NATIONAL PROGRAMME PERFORMANCE",
    "Score Criterion (2018) Performance Commentary UNDERSTANDING 5 Ruritania knows its areas.",
]


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(MONITOR_2015, id="Monitor 2015: right after the header"),
        pytest.param(MONITOR_2016, id="Monitor 2016-17: after a summary paragraph"),
        pytest.param(MAR_2017, id="MAR 2016-18: after the performance commentary"),
        pytest.param(MAR_2024, id="MAR 2024-25: after the five-year overview, lone dash"),
        pytest.param(PDF_CHAPTER, id="PDF chapter: score table and footer after the list"),
    ],
)
def test_every_era_position(lines):
    assert texts(extract(*lines)) == ASKS


def test_heading_glued_to_its_first_item():
    result = extract(
        "KEY DEVELOPMENTS In 2018, Ruritania cleared 0.4km2 of mined area.",
        "RECOMMENDATIONS FOR ACTION ■ " + " ■ ".join(ASKS),
    )
    assert texts(result) == ASKS


def test_heading_split_over_two_lines():
    result = extract(*KEY_DEVELOPMENTS, "RECOMMENDATIONS", "FOR ACTION", *bulleted("■"))
    assert texts(result) == ASKS


# -- items: whole, never more ----------------------------------------------------------------
def test_a_multi_sentence_item_is_kept_whole():
    item = (
        "The RMAC should improve its land release system. Improvements should be written into "
        "the revised national standards, and operators should be consulted first."
    )
    result = extract("Recommendations for Action", f"• {item}", f"• {ASKS[0]}")
    assert texts(result) == [item, ASKS[0]]


def test_pdf_hard_wraps_are_joined_and_footers_skipped():
    result = extract(
        "RECOMMENDATIONS FOR ACTION",
        "■ Ruritania should accede to the Convention on Cluster Munitions",
        "(CCM) as a matter of priority.",
        "■ The Ruritanian Mine Action and Victim Assistance",
        "Authority (RMAVAA) should adopt national standards for battle area",
        "42 Clearing the Mines 2019",
        "clearance.",
        "■ The RMAVAA should publish an annual report on its land release results.",
    )
    assert texts(result) == [
        "Ruritania should accede to the Convention on Cluster Munitions (CCM) as a matter of "
        "priority.",
        "The Ruritanian Mine Action and Victim Assistance Authority (RMAVAA) should adopt "
        "national standards for battle area clearance.",
        "The RMAVAA should publish an annual report on its land release results.",
    ]


def test_a_word_broken_at_a_line_end_is_mended():
    result = extract(
        "RECOMMENDATIONS FOR ACTION",
        "■ Ruritania should speed up clear-",
        "ance and make more use of non-",
        "technical survey.",
    )
    assert texts(result) == [
        "Ruritania should speed up clearance and make more use of non-technical survey."
    ]


def test_a_further_sentence_between_bulleted_items_belongs_to_the_item_before():
    result = extract(
        "RECOMMENDATIONS FOR ACTION",
        "■ Ruritania should improve its land release system.",
        "Its revised standards should allow cancellation through non-technical survey.",
        "■ Ruritania should report annually on progress.",
    )
    assert len(result.recommendations) == 2
    assert result.recommendations[0].text.endswith("non-technical survey.")


@pytest.mark.parametrize(
    "after",
    [
        pytest.param(["The exact extent of contamination in the east is not known."], id="para"),
        pytest.param(["The survey found mines. Operators should be accredited."], id="para+ask"),
        pytest.param(DOWNLOAD, id="download lines"),
        pytest.param(
            ["Clearing the Mines 2023: full Ruritania chapter (PDF)"], id="link to the chapter"
        ),
        pytest.param(["Contamination", "Mines lie along the border."], id="next heading"),
    ],
)
def test_no_text_is_taken_from_what_follows_the_list(after):
    result = extract("Recommendations for Action", *bulleted("•"), "", *after)
    assert texts(result) == ASKS


def test_an_unfinished_item_is_not_continued_by_a_download_line():
    result = extract(
        "Recommendations for Action",
        "• Ruritania should set up a technical working group on cluster munition clearance",
        "Download the 2018 Cluster Munitions Report for Ruritania",
    )
    (rec,) = result.recommendations
    assert rec.text.endswith("cluster munition clearance")
    assert not rec.truncated


@pytest.mark.parametrize(
    "last,truncated",
    [
        ("• The RMAC should cross-check the data entered into the national", True),
        ("• The RMAC should cross-check the data entered into the national database.", False),
        ("• The RMAC should verify the areas recorded in 2019 (see the table", True),
    ],
)
def test_truncated_flag_marks_an_item_cut_off_at_the_end_of_the_text(last, truncated):
    result = extract("Recommendations for Action", f"• {ASKS[0]}", last)
    assert [r.truncated for r in result.recommendations] == [False, truncated]


def test_an_unbulleted_item_cut_before_its_asking_word_is_still_an_item():
    result = extract("Recommendations for Action", "-", ASKS[0], "The Ruritanian Mine Action")
    assert texts(result) == [ASKS[0], "The Ruritanian Mine Action"]
    assert [r.truncated for r in result.recommendations] == [False, True]


def test_an_unfinished_item_before_more_text_is_not_truncated():
    result = extract(
        "Recommendations for Action",
        "• The RMAC should cross-check the data entered into the national database",
        *DOWNLOAD,
    )
    assert [r.truncated for r in result.recommendations] == [False]


def test_numbers_in_a_recommendation_yield_no_figure():
    result = extract(
        "Key Developments",
        "No land was released in 2023.",
        "Recommendations for Action",
        "• New cluster strikes should not be recorded in the database as covering 33,000m2. "
        "Their real size should be measured through technical survey.",
        "• Ruritania should release the remaining 4.5km2 of suspected area by 2026.",
    )
    assert len(result.recommendations) == 2
    assert "33,000m2" in result.recommendations[0].text
    assert [f for f in result.figures if "33,000" in f.text or "4.5" in f.text] == []


def test_recommendations_are_in_the_json_contract():
    data = extract(*KEY_DEVELOPMENTS, "Recommendations for Action", *bulleted("•")).to_json()
    keys = ["source", "document", "figures", "recommendations", "developments", "errors"]
    assert list(data) == keys
    first = data["recommendations"][0]
    assert {"text", "topics", "actor", "page"} <= set(first)
    assert first["topics"][0] == "strategy"
    assert first["topic_rules"]["strategy"].startswith("strategy:")
    assert (first["action"], first["urgency"], first["truncated"]) == (
        "adopt",
        "as soon as possible",
        False,
    )


def test_each_item_has_its_page_and_offsets():
    result = extract(*KEY_DEVELOPMENTS, "Recommendations for Action", *bulleted("•"))
    page = result.pages_text[0]
    for rec in result.recommendations:
        assert page[rec.start : rec.end] == rec.text


# -- the ask -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,actor",
    [
        ("Ruritania should accede to the CCM.", "Ruritania"),
        ("The government should fund clearance from the national budget.", "the government"),
        ("The Ruritanian government should fund clearance.", "the Ruritanian government"),
        ("Ruritania's government should fund clearance.", "Ruritania's government"),
        ("Donors should sustain funding for survey.", "Donors"),
        ("The RMAC should clean its database.", "RMAC"),
        ("The Ruritania Mine Action Centre (RMAC) should clean its database.", "RMAC"),
        ("The RMAC and its partners should review tasking.", "RMAC and its partners"),
        ("After years of delay, Ruritania should pass the mine action law.", "Ruritania"),
        ("Where appropriate, the RMAC should deploy dogs.", "RMAC"),
        (
            "Greater priority should be given to clearance by the Ruritanian Republic.",
            "the Ruritanian Republic",
        ),
        ("Increased resources should be allocated to the RMAC.", None),
        ("Continued efforts should be made to report in IMAS terms.", None),
        ("New strikes should not be recorded as 30,000m2. They should be surveyed.", None),
        (
            "Better efforts should be made to improve reporting and the RMAC should answer "
            "requests for data.",
            "RMAC",
        ),
        ("Surplus equipment could be used to clear the border as soon as possible.", None),
    ],
)
def test_actor(text, actor):
    assert recommendations.analyse(text)["actor"] == actor


def test_a_spelled_out_actor_takes_the_acronym_its_list_uses():
    result = extract(
        "Recommendations for Action",
        "• The Ruritanian Mine Action and Victim Assistance Authority should adopt standards.",
        "• The RMAVAA should publish an annual report.",
    )
    assert [r.actor for r in result.recommendations] == ["RMAVAA", "RMAVAA"]


@pytest.mark.parametrize(
    "text,action",
    [
        ("Ruritania should accede to the CCM as a matter of priority.", "accede"),
        ("Ruritania should act quickly to pass the mine action law.", "pass"),
        ("The RMAC should continue to work to establish a national database.", "establish"),
        ("The RMAC should work with operators to elaborate a strategy.", "elaborate"),
        ("The RMAC should more accurately establish the extent of contamination.", "establish"),
        ("The RMAC should revise and update its extension request.", "revise"),
        ("Increased resources should be allocated to the RMAC.", "allocate"),
        ("Continued efforts should be made to ensure accurate reporting.", "ensure"),
        ("Newly found areas should not be recorded as 30,000m2.", "record"),
        ("The RMAC should take action to strengthen information management.", "strengthen"),
    ],
)
def test_action(text, action):
    assert recommendations.analyse(text)["action"] == action


@pytest.mark.parametrize(
    "text,urgency",
    [
        ("Ruritania should accede to the CCM as a matter of priority.", "as a matter of priority"),
        ("Ruritania should adopt the standards without delay.", "without delay"),
        ("Ruritania should adopt the standards without further delay.", "without further delay"),
        ("Ruritania should present a strategy as soon as possible.", "as soon as possible"),
        ("Ruritania should adopt the standards.", None),
        ("Ruritania should ensure the earliest possible completion of clearance.", None),
    ],
)
def test_urgency(text, urgency):
    assert recommendations.analyse(text)["urgency"] == urgency


def test_acronyms_defined_by_an_english_or_a_french_name():
    text = (
        "The Lebanon Mine Action Centre (LMAC) and the Programme National de Déminage "
        "Humanitaire pour le Développement (PNDHD) met."
    )
    assert recommendations.defined_acronyms(text) == {
        "lebanon mine action centre": "LMAC",
        "programme national de déminage humanitaire pour le développement": "PNDHD",
    }
