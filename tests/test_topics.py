"""Topic rules (extractor/patterns/topics.yml): every topic, the main ask first, near misses,
and the score on held-out sentences the rules were never tuned on.

Labelled sentences live in tests/data: ``topic_sentences_dev.yml`` (the rules are tuned on
these) and ``topic_sentences_heldout.yml`` (only scored, here). All are our own words.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extractor import nlp, recommendations

DATA = Path(__file__).parent / "data"
DEV = yaml.safe_load((DATA / "topic_sentences_dev.yml").read_text("utf-8"))
HELDOUT = yaml.safe_load((DATA / "topic_sentences_heldout.yml").read_text("utf-8"))
TOPICS = [
    "ccm_accession",
    "apmbc_accession",
    "no_new_use",
    "strategy",
    "standards",
    "survey_baseline",
    "land_release_method",
    "data_management",
    "reporting",
    "deadline_extension",
    "funding",
    "national_authority",
    "capacity_quality",
    "gender_diversity",
    "environment",
    "residual_risk",
    "other",
]


def topics(text: str) -> list[str]:
    return recommendations.analyse(text)["topics"]


@pytest.mark.parametrize("row", DEV, ids=lambda row: row["text"][:60])
def test_dev_sentence_gets_its_main_topic_first(row):
    assert topics(row["text"])[0] == row["topics"][0]


def test_dev_sentences_get_their_other_topics_too():
    wanted = [(t, row["text"]) for row in DEV for t in row["topics"]]
    missed = [(t, text) for t, text in wanted if t not in topics(text)]
    assert len(missed) <= 0.05 * len(wanted), missed


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_is_someones_main_ask_in_the_labelled_data(topic):
    assert any(row["topics"][0] == topic for row in DEV)
    assert any(row["topics"][0] == topic for row in HELDOUT)


def test_heldout_score():
    """Primary topic right on >= 90 % of held-out sentences; multi-label precision and recall
    >= 0.85. (Measured when the rules were written: primary 97.1 %, P 0.910, R 0.976.)"""
    right, tp, fp, fn = 0, 0, 0, 0
    for row in HELDOUT:
        found, gold = topics(row["text"]), row["topics"]
        right += found[0] == gold[0]
        tp += len(set(found) & set(gold))
        fp += len(set(found) - set(gold))
        fn += len(set(gold) - set(found))
    primary, precision, recall = right / len(HELDOUT), tp / (tp + fp), tp / (tp + fn)
    summary = f"held-out: primary {primary:.3f}, precision {precision:.3f}, recall {recall:.3f}"
    assert primary >= 0.90, summary
    assert precision >= 0.85 and recall >= 0.85, summary


def test_dev_and_heldout_do_not_share_sentences():
    assert not {r["text"] for r in DEV} & {r["text"] for r in HELDOUT}


@pytest.mark.parametrize(
    "text,first,absent",
    [
        # main ask first, whatever comes first in the text
        (
            "Ruritania should commit never to use cluster munitions and accede to the CCM.",
            "ccm_accession",
            None,
        ),
        (
            "The RMAC should draw up long-term plans and capacity to manage residual risk.",
            "residual_risk",
            None,
        ),
        ("The RMAC should present the data in an annual report.", "reporting", None),
        ("The RMAC should adopt a gender and diversity policy.", "gender_diversity", "strategy"),
        ("Ruritania should develop a resource mobilisation strategy.", "funding", "strategy"),
        ("The RMAC should review land release planning and tasking.", "strategy", None),
        (
            "Increased resources should be allocated to build information management capacity.",
            "data_management",
            None,
        ),
        # generic words need context
        (
            "Ruritania should meet its obligations under international human rights law.",
            "other",
            "national_authority",
        ),
        (
            "Ruritania should adopt a strategic plan to meet its obligations under the "
            "Convention on Cluster Munitions.",
            "strategy",
            "ccm_accession",
        ),
        (
            "The RMAC should plan to fulfil its Article 5 obligations.",
            "strategy",
            "deadline_extension",
        ),
        (
            "The Ruritania Mine Action Centre (RMAC) should clean its database.",
            "data_management",
            "national_authority",
        ),
        ("The RMAC should bring its standards into line with IMAS.", "standards", None),
        ("Ruritania should cooperate with its neighbour on border clearance.", "other", None),
        (
            "The RMAC should size each contaminated area through technical survey.",
            "land_release_method",
            "survey_baseline",
        ),
        ("Ruritania should pass the new demining law without delay.", "national_authority", None),
        (
            "Clearance results should be recorded by device type and by hazard.",
            "data_management",
            None,
        ),
        (
            "The government should increase its own contribution to the costs of mine clearance.",
            "funding",
            None,
        ),
        ("The RMAC should publish an annual land release plan with targets.", "strategy", None),
        # survey is a means: its purpose, when the item names one, is the ask
        (
            "Ruritania should conduct non-technical survey in every border region to build an "
            "evidence-based baseline of contamination.",
            "survey_baseline",
            None,
        ),
        (
            "The RMAC should re-survey suspected areas so that land with no evidence of mines is "
            "cancelled, not cleared.",
            "land_release_method",
            None,
        ),
        # a pledge worded as what it will not allow; ecosystems are the environment
        (
            "Ruritania should reaffirm that it will never again allow landmines to be laid.",
            "no_new_use",
            None,
        ),
        (
            "The RMAC should say how clearance will limit harm to fragile desert ecosystems.",
            "environment",
            None,
        ),
        # telling States Parties is reporting, but not the main ask when another is named
        ("Ruritania should inform States Parties of its progress.", "reporting", None),
        (
            "Ruritania should notify States Parties of the newly found area and request a new "
            "deadline.",
            "deadline_extension",
            None,
        ),
    ],
)
def test_main_ask_and_near_misses(text, first, absent):
    found = topics(text)
    assert found[0] == first
    if absent:
        assert absent not in found


def test_each_topic_records_the_rule_that_decided_it():
    result = recommendations.analyse(
        "Ruritania should accede to the CCM and report on progress in its Article 7 reports."
    )
    assert result["topics"] == ["ccm_accession", "reporting"]
    assert result["topic_rules"] == {
        "ccm_accession": "join-ccm:accede to the ccm",
        "reporting": "report-verb:and report on",
    }
    assert recommendations.analyse("Ruritania should cooperate with Utopia.")["topic_rules"] == {
        "other": "default:no-topic-matched"
    }


@pytest.mark.parametrize(
    "raw,normalised",
    [
        ("land-release", "land release"),
        ("non- technical survey", "non technical survey"),
        ("sex- and age-disaggregated", "sex and age disaggregated"),
        ("resource mobilization", "resource mobilisation"),
        ("Guinea-Bissau", "Guinea-Bissau"),
        ("Afghanistan\u2019s", "Afghanistan's"),
    ],
)
def test_text_is_normalised_before_matching(raw, normalised):
    assert nlp.normalise(raw) == normalised


def test_rule_ids_are_unique_and_topics_known():
    data = nlp.topic_rules()
    ids = [r["id"] for r in data["rules"]]
    assert len(ids) == len(set(ids))
    assert {r["topic"] for r in data["rules"]} <= set(TOPICS) | {nlp.MASK}
    assert set(data["tiers"]) <= set(TOPICS)


def test_topic_matcher_is_a_spacy_component_writing_doc_extension():
    pipe = recommendations.pipeline()
    assert pipe.pipe_names == ["sentencizer", "ask_parser", "topic_matcher"]
    doc = pipe("The RMAC should adopt national standards.")
    assert [h.topic for h in doc._.topics] == ["standards"]
    assert doc._.ask["actor"] == "RMAC"


@pytest.mark.parametrize(
    "text,expected",
    [
        # the setting and the means of a gender ask are not asks of their own
        (
            "The authority should adopt a gender and diversity policy with an implementation "
            "plan, and make sure survey teams include women.",
            ["gender_diversity"],
        ),
        # results of land release are what a report is about
        (
            "Testland should report land release results by method in its Article 7 reports.",
            ["reporting"],
        ),
        # ... but a topic the main ask does not take in stays
        (
            "Testland should report land release results by method and enter them in the "
            "national database.",
            ["reporting", "data_management"],
        ),
    ],
)
def test_a_main_ask_takes_in_the_topics_of_its_own_setting(text, expected):
    assert topics(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a second ask joined by "and should" does not outrank the first by its tier
        (
            "The centre should finalise and adopt the national strategy and should develop an "
            "environmental management policy for its operations.",
            ["strategy", "environment"],
        ),
        # ... but joining a treaty is the main ask wherever it stands
        (
            "Testland should commit never to use cluster munitions again and should accede to "
            "the CCM without delay.",
            ["ccm_accession", "no_new_use"],
        ),
        # a setting clause before the ask is not the ask
        (
            "Before clearance assets are sent to a newly reported area, non-technical and "
            "technical survey should be used to define its boundaries.",
            ["land_release_method", "capacity_quality"],
        ),
    ],
)
def test_the_main_ask_is_the_first_ask_of_the_main_clause(text, expected):
    assert topics(text) == expected


@pytest.mark.parametrize(
    "text,first,absent,present",
    [
        # "evidence-based" names the method when it qualifies survey or an approach ...
        (
            "The authority should follow the baseline with evidence-based re-survey of the "
            "suspected areas.",
            "survey_baseline",
            None,
            "land_release_method",
        ),
        (
            "Operators should take an evidence-based approach to cancellation.",
            "land_release_method",
            None,
            None,
        ),
        # ... not when it qualifies a request or an estimate
        (
            "Testland should submit a realistic, evidence-based request to extend its Article 5 "
            "deadline.",
            "deadline_extension",
            "land_release_method",
            None,
        ),
        (
            "Testland should conduct survey to obtain an evidence-based estimate of the "
            "contamination in the north.",
            "survey_baseline",
            "land_release_method",
            None,
        ),
        # a law named by what it governs
        (
            "The parliament should adopt the law on humanitarian demining and mine action "
            "without further delay.",
            "national_authority",
            None,
            None,
        ),
        # the capacity kept for what is found after completion
        (
            "Testland should keep a permanent national capacity, funded from the state budget, "
            "to respond to mined areas discovered later.",
            "residual_risk",
            None,
            None,
        ),
        # survey of the areas a kind of contamination is in: the baseline
        (
            "The centre should widen survey of areas contaminated by improvised mines in the "
            "south.",
            "survey_baseline",
            None,
            None,
        ),
        # paid for from public budgets: funding
        (
            "The authorities should increase the share of mine action paid for from public "
            "budgets.",
            "funding",
            None,
            None,
        ),
        # an adverbial between the verb and the treaty
        ("Testland should accede without further delay to the CCM.", "ccm_accession", None, None),
        # donors keeping up their support
        (
            "International donors should keep up their support at current levels.",
            "funding",
            None,
            None,
        ),
        # results kept apart by kind: data management, but not the main ask
        (
            "The centre should report CMR clearance results separately from those for other "
            "explosive remnants of war in its Article 7 reports.",
            "reporting",
            None,
            "data_management",
        ),
        # a method named only to be kept apart from is not asked for
        (
            "The centre should record CMR clearance separately from other battle area clearance.",
            "data_management",
            "land_release_method",
            None,
        ),
    ],
)
def test_method_law_and_residual_capacity_rules(text, first, absent, present):
    found = topics(text)
    assert found[0] == first
    assert absent is None or absent not in found
    assert present is None or present in found
