"""Performance scores of Mine Action Review's tables, in every shape the text takes.
The tables here are written for the tests; their scores are invented."""

from __future__ import annotations

import pytest

from extractor import scores
from extractor.load import page_from_text
from extractor.model import Block


def blocks_of(text: str) -> list[Block]:
    return page_from_text(1, text).blocks


def read(text: str, report_year: int | None) -> list[tuple]:
    return [(f.criterion, f.value, f.year) for f in scores.extract(blocks_of(text), report_year)]


INDICATORS_2017 = """Article 5 deadline
1 March 2021
Performance
Performance Indicator Score
Problem understood 6
Target date for completion of mine clearance 5
Targeted clearance 7
Efficient clearance 6
National funding of programme 4
Timely clearance 6
Land release system in place 7
National mine action standards 8
Reporting on progress 5
Improving performance 6
Performance score 6.0
Performance Commentary
Clearance rose in 2016 to 3.5km2, and 12 teams worked in 4 provinces.
"""


def test_ten_indicator_table_of_2015_to_2018():
    assert read(INDICATORS_2017, 2017) == [
        ("problem_understood", 6.0, 2016),
        ("target_date", 5.0, 2016),
        ("targeted_clearance", 7.0, 2016),
        ("efficient_clearance", 6.0, 2016),
        ("national_funding", 4.0, 2016),
        ("timely_clearance", 6.0, 2016),
        ("land_release_system", 7.0, 2016),
        ("national_standards", 8.0, 2016),
        ("reporting", 5.0, 2016),
        ("improving_performance", 6.0, 2016),
        ("overall", 6.0, 2016),
    ]


WEIGHTED_2021 = """Performance
Good
Performance Criterion Score
Understanding of anti-personnel mine contamination (20% of overall score) 8
National ownership and programme management (10% of overall score) 7
Gender (10% of overall score) 6
Information management and reporting (10% of overall score) 7
Planning and tasking (10% of overall score) 8
Land release system (20% of overall score) 7
Land release outputs and Article 5 compliance (20% of overall score) 7
Performance score 7.3
Key Developments
In 2020, 4 operators worked in 3 provinces.
"""


def test_weighted_table_with_rating_word():
    found = scores.extract(blocks_of(WEIGHTED_2021), 2021)
    assert [(f.criterion, f.value, f.year) for f in found] == [
        ("understanding_of_contamination", 8.0, 2020),
        ("national_ownership", 7.0, 2020),
        ("gender_diversity", 6.0, 2020),
        ("information_management", 7.0, 2020),
        ("planning_and_tasking", 8.0, 2020),
        ("land_release_system", 7.0, 2020),
        ("land_release_outputs", 7.0, 2020),
        ("overall", 7.3, 2020),
    ]
    assert found[-1].flags == ["rating:good"]


def test_environment_criterion_of_the_later_tables():
    text = (
        "Performance Criterion Score\n"
        "Gender and diversity (10% of overall score) 5\n"
        "Environmental policies and action (10% of overall score) 4\n"
        "Performance score 5.1\n"
    )
    assert read(text, 2023) == [
        ("gender_diversity", 5.0, 2022),
        ("environment", 4.0, 2022),
        ("overall", 5.1, 2022),
    ]


def test_not_applicable_is_null_with_a_flag():
    found = scores.extract(blocks_of("  • Performance\n\n    Not Applicable\n"), 2020)
    assert [(f.criterion, f.value, f.year, f.flags) for f in found] == [
        ("overall", None, 2019, ["not_applicable"])
    ]


def test_a_rating_word_that_disagrees_with_the_band_is_flagged():
    found = scores.extract(blocks_of("Performance\nVery Good\nPerformance score 6.1\n"), 2022)
    assert found[-1].flags == ["rating:very_good", "rating_differs_from_band"]


FLATTENED = """Article 4 deadline: 1 August 2020
Program Performance: AVERAGE

Performance Indicator

Score

Problem understood

6

Target date for completion of clearance of cluster munition remnants

4

National funding of program

8

PERFORMANCE SCORE

5.6

Recommendations
"""


def test_monitor_table_flattened_one_cell_per_line():
    found = scores.extract(blocks_of(FLATTENED), 2015)
    assert [(f.criterion, f.value, f.year) for f in found] == [
        ("problem_understood", 6.0, 2014),
        ("target_date", 4.0, 2014),
        ("national_funding", 8.0, 2014),
        ("overall", 5.6, 2014),
    ]
    assert found[-1].flags == ["rating:average"]


def test_pdf_table_with_two_year_columns_named_in_its_header():
    text = (
        "ASSESSMENT OF NATIONAL PROGRAMME PERFORMANCE\n"
        "CRITERION SCORE 2022 SCORE 2021\n"
        "UNDERSTANDING OF CMR CONTAMINATION (20% of overall score) 7 6\n"
        "PERFORMANCE SCORE: AVERAGE 6.4 5.7\n"
    )
    found = scores.extract(blocks_of(text), 2023)
    assert [(f.criterion, f.value, f.year) for f in found] == [
        ("understanding_of_contamination", 7.0, 2022),
        ("understanding_of_contamination", 6.0, 2021),
        ("overall", 6.4, 2022),
        ("overall", 5.7, 2021),
    ]
    assert found[2].flags == ["rating:average"] and found[3].flags == []


def test_two_year_columns_without_years_are_the_two_years_before_the_edition():
    text = "Performance\nPERFORMANCE SCORE: POOR 4.4 4.9\n"
    assert read(text, 2020) == [("overall", 4.4, 2019), ("overall", 4.9, 2018)]


def test_cells_run_together_with_the_commentary_column():
    text = (
        "ASSESSMENT OF NATIONAL PROGRAMME PERFORMANCE\n"
        "Score Criterion (2018) Performance Commentary UNDERSTANDING 6 Testland has surveyed "
        "most of its border, but some OF CONTAMINATION areas remain (20% of overall score) "
        "unvisited.\n"
        "NATIONAL 8 Testland funds its programme in full.\n"
        "LAND RELEASE 5 Technical survey is little used.\n"
        "LAND RELEASE 7 Output rose again.\n"
    )
    assert read(text, 2019) == [
        ("understanding_of_contamination", 6.0, 2018),
        ("national_ownership", 8.0, 2018),
        ("land_release_system", 5.0, 2018),
        ("land_release_outputs", 7.0, 2018),
    ]


def test_a_table_read_column_by_column():
    # every label, then every score: paired in order
    text = (
        "Performance Indicator\nProblem understood\nTarget date for completion of mine "
        "clearance\nTargeted clearance\nPerformance score\nScore\n6\n5\n7\n6.0\n"
    )
    assert read(text, 2018) == [
        ("problem_understood", 6.0, 2017),
        ("target_date", 5.0, 2017),
        ("targeted_clearance", 7.0, 2017),
        ("overall", 6.0, 2017),
    ]


def test_a_table_written_with_pipes_and_a_weight_column():
    text = (
        "| CRITERION | WEIGHT | SCORE |\n"
        "| UNDERSTANDING OF CONTAMINATION | 20% | 4 |\n"
        "| GENDER AND DIVERSITY | 10% | 3 |\n"
        "| AVERAGE SCORE | 100% | 3.7 |\n"
    )
    assert read(text, 2023) == [
        ("understanding_of_contamination", 4.0, 2022),
        ("gender_diversity", 3.0, 2022),
        ("overall", 3.7, 2022),
    ]


def test_a_score_read_from_a_pipe_row_points_at_its_digit_in_the_page():
    page = page_from_text(1, "| CRITERION | WEIGHT | SCORE |\n| GENDER AND DIVERSITY | 10% | 3 |\n")
    (found,) = scores.extract(page.blocks, 2023)
    assert (found.criterion, page.text[found.start : found.end]) == ("gender_diversity", "3")


def test_an_empty_cell_in_the_second_year_column():
    text = (
        "Criterion Score (2021) Score (2020) Commentary NATIONAL OWNERSHIP & PROGRAMME 6 7 "
        "TMAC, run by the army, is committed. ENVIRONMENTAL POLICIES 4 – No standard was in "
        "force.\n"
    )
    assert read(text, 2022) == [
        ("national_ownership", 6.0, 2021),
        ("national_ownership", 7.0, 2020),
        ("environment", 4.0, 2021),
    ]


def test_a_header_with_the_overall_row_on_the_same_line():
    text = (
        "ASSESSMENT OF NATIONAL PROGRAMME PERFORMANCE Criterion Score (2017) Score (2016) "
        "PERFORMANCE SCORE: POOR 4.6 4.9\n"
    )
    assert read(text, 2018) == [("overall", 4.6, 2017), ("overall", 4.9, 2016)]


def test_rows_of_a_table_in_hard_wrapped_text_stay_rows():
    from extractor.pipeline import extract_bytes

    prose = (
        "Testland released 1.42km2 of mined area in 2018, most of it by technical\n"
        "survey, and destroyed 38 anti-personnel mines. Previously unrecorded mined\n"
        "areas were reported near the border during the year, and at the end of the\n"
        "year the authority estimated the remaining suspected hazardous area at 2.3km2\n"
        "after a long survey that the operators carried out with the authority in the\n"
        "north, where most of the remaining mined areas lie along the old front line.\n"
    )
    table = (
        "Performance Criterion Score\n"
        "Understanding of anti-personnel mine contamination (20% of overall score) 5\n"
        "National ownership and programme management (10% of overall score) 6\n"
        "Gender (10% of overall score) 4\n"
        "Performance score 5.3\n"
    )
    result = extract_bytes(f"{table}\nKey Developments\n\n{prose}".encode(), "text/plain")
    scored = [(f.criterion, f.value) for f in result.figures if f.metric == "performance_score"]
    assert scored == [
        ("understanding_of_contamination", 5.0),
        ("national_ownership", 6.0),
        ("gender_diversity", 4.0),
        ("overall", 5.3),
    ]


def test_not_applicable_on_the_performance_line():
    found = scores.extract(blocks_of("PERFORMANCE: NOT APPLICABLE\nKEY DEVELOPMENTS\n"), 2023)
    assert [(f.criterion, f.value, f.flags) for f in found] == [
        ("overall", None, ["not_applicable"])
    ]


def test_commentary_that_opens_with_an_acronym_and_labels_cut_across_lines():
    # a PDF table read row by row: label words, score and commentary run together, the
    # label's last words and its weight fall on the lines after
    text = (
        "ASSESSMENT OF NATIONAL PROGRAMME PERFORMANCE\n"
        "Criterion Score (2019) Performance commentary\n"
        "UNDERSTANDING OF CMR 4 TMAC knows which ranges are affected, but their\n"
        "CONTAMINATION extent rests on range boundaries.\n"
        "(20% of overall score)\n"
        "NATIONAL OWNERSHIP & 5 TMAC coordinates the programme and the army carries\n"
        "PROGRAMME out demining, but there is no national budget line\n"
        "MANAGEMENT for it.\n"
        "(10% of overall score)\n"
        "GENDER 3 No gender policy exists for mine action.\n"
    )
    assert read(text, 2020) == [
        ("understanding_of_contamination", 4.0, 2019),
        ("national_ownership", 5.0, 2019),
        ("gender_diversity", 3.0, 2019),
    ]
    old = "Criterion Performance score (2017) Commentary\nPROBLEM 8 TMAC has a sound picture.\n"
    assert read(old, 2018) == [("problem_understood", 8.0, 2017)]


def test_a_whole_table_flattened_into_hard_wrapped_prose():
    # a PDF table that lost all its cells: header words before the first label, rows with no
    # commentary followed at once by the next row, a label hyphenated across lines, and a
    # last line holding a row and the overall score
    text = (
        # the page is prose hard-wrapped at a fixed width, so the loader joins its lines
        "Testland declared completion of its mine clearance obligations in 2012, but in 2015 a\n"
        "farmer found mines in a field near the northern border that no record had listed. The\n"
        "national authority sent a survey team within a week, marked the area and asked its\n"
        "army engineers to clear it, which they began to do in the autumn of that same year.\n"
        "By the end of 2015, about half of the newly found area had been cleared, and the\n"
        "authority told States Parties that it expected to finish the work within a year.\n"
        "\n"
        "ASSESSMENT OF NATIONAL PROGRAMME PERFORMANCE\n"
        "PERFORMANCE INDICATOR SCORE PERFORMANCE COMMENTARY PROBLEM UNDERSTOOD 7 The one new\n"
        "area has been surveyed, though others may exist. TARGETED CLEARANCE 7 EFFICIENT\n"
        "CLEARANCE 6 Work is manual. TIMELY CLEARANCE 6 LAND RELEASE SYSTEM 7 NATIONAL MINE "
        "ACTION STAN-\n"
        "DARDS 8 The standards follow IMAS. REPORTING ON PROGRESS 5 The last report left\n"
        "out the new area.\n"
        "\n"
        "IMPROVING PERFORMANCE 6 PERFORMANCE SCORE: AVERAGE 6.6\n"
        "\n"
        "MINE CONTAMINATION\n"
    )
    assert read(text, 2016) == [
        ("problem_understood", 7.0, 2015),
        ("targeted_clearance", 7.0, 2015),
        ("efficient_clearance", 6.0, 2015),
        ("timely_clearance", 6.0, 2015),
        ("land_release_system", 7.0, 2015),
        ("national_standards", 8.0, 2015),
        ("reporting", 5.0, 2015),
        ("improving_performance", 6.0, 2015),
        ("overall", 6.6, 2015),
    ]


def test_a_table_flattened_onto_one_line_with_labels_in_sentence_case():
    # scraped text that ran every row of the table onto the line of its header, or onto the
    # line after it; the weighted labels keep their "Article 4" and weight
    one_line = (
        "PERFORMANCE INDICATOR SCORE Problem understood 6 Target date for completion of "
        "clearance 5 Targeted clearance 7 Efficient clearance 6 Performance score: average 6.0\n"
        "\n"
        "Performance commentary\n"
    )
    assert read(one_line, 2017) == [
        ("problem_understood", 6.0, 2016),
        ("target_date", 5.0, 2016),
        ("targeted_clearance", 7.0, 2016),
        ("efficient_clearance", 6.0, 2016),
        ("overall", 6.0, 2016),
    ]
    after_header = (
        "Performance criterion Score\n"
        "\n"
        "Land release system (20% of overall score) 5 Land release outputs and Article 4 "
        "compliance (20% of overall score) 4 Performance score 4.5\n"
    )
    assert read(after_header, 2021) == [
        ("land_release_system", 5.0, 2020),
        ("land_release_outputs", 4.0, 2020),
        ("overall", 4.5, 2020),
    ]


def test_a_line_of_rows_must_be_rows_only():
    # commentary after the header with numbers in it is no flattened table
    text = (
        "Performance Indicator Score\n"
        "\n"
        "Problem understood 6\n"
        "\n"
        "Targeted clearance 7 teams worked in 4 provinces and cleared 3 areas\n"
    )
    assert read(text, 2017) == [("problem_understood", 6.0, 2016)]


def test_a_number_inside_a_label_is_no_score():
    text = (
        "| CRITERION | WEIGHT | SCORE |\n"
        "| LAND RELEASE SYSTEM | 10% | 5 |\n"
        "| LAND RELEASE OUTPUTS AND ARTICLE 5 COMPLIANCE | 20% | 4 |\n"
    )
    assert read(text, 2023) == [
        ("land_release_system", 5.0, 2022),
        ("land_release_outputs", 4.0, 2022),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # numbers around a table that are not scores
        "Article 5 deadline\n1 March 2023\n",
        "Performance\nPerformance score 12\n",  # above 10
        "In 2019, 6 teams cleared 4 areas.\n",
        "Performance Commentary\nThe performance score fell to 5.2 from 6.1.\n",  # prose
    ],
)
def test_near_misses_are_not_scores(text):
    assert [f for f in scores.extract(blocks_of(text), 2020) if f.value is not None] == []


@pytest.mark.parametrize(
    "label,criterion",
    [
        (
            "Understanding of AP mine contamination (20% of overall score)",
            "understanding_of_contamination",
        ),
        ("National funding of program", "national_funding"),
        ("Target date for completion of clearance", "target_date"),
        ("PERFORMANCE SCORE: VERY GOOD", "overall"),
        ("Land release outputs and Article 4 compliance", "land_release_outputs"),
        ("Gender and diversity", "gender_diversity"),
        ("Something else entirely", None),
    ],
)
def test_criterion_labels(label, criterion):
    assert scores.criterion_of(label) == criterion


def test_bands():
    assert [scores.band(v) for v in (8.0, 7.9, 5.0, 4.9, 3.9)] == [
        "very good",
        "good",
        "average",
        "poor",
        "very poor",
    ]


def test_rows_found_in_a_block_keep_it_in_the_table_whatever_follows_them():
    # a row, then capitals and a number that name no criterion: the block still held a row
    # (the check once ended on the last label tried, so it said no)
    text = "PROBLEM UNDERSTOOD 7 The area is known. BORDER SECTOR 5 Work went on there."
    block = Block("paragraph", text, 1, 0, len(text))
    table = scores._Table(2016)
    assert scores._scrambled(table, block, text, 0) is True
    assert [(f.criterion, f.value) for f in table.figures] == [("problem_understood", 7.0)]


def test_a_two_year_table_flattened_after_its_header_line():
    # the header with the two years and every row, two scores each, run together, on a page
    # of prose hard-wrapped at a fixed width (so the loader joins its lines)
    text = (
        "Testland's land release rose again in 2016, when operators cancelled more land than in\n"
        "any year before and the national authority approved revised standards on survey. Its\n"
        "clearance output was steady, though still well short of what a 2020 completion would\n"
        "need, and the authority has said that it will ask States Parties for more time. The\n"
        "donors who fund most of the work have so far kept their support at the same level.\n"
        "\n"
        "PERFORMANCE INDICATOR 2016 2015 PROBLEM UNDERSTOOD 6 5 TARGET DATE FOR COMPLETION OF\n"
        "CLEARANCE 4 4 TARGETED CLEARANCE 7 6 NATIONAL FUNDING OF PROGRAMME 5 5\n"
        "TIMELY CLEARANCE 6 5 LAND RELEASE SYSTEM IN PLACE 7 7 REPORTING\n"
        "ON PROGRESS 4 5 PERFORMANCE SCORE: AVERAGE 5.6 5.3\n"
    )
    assert read(text, 2017) == [
        ("problem_understood", 6.0, 2016),
        ("problem_understood", 5.0, 2015),
        ("target_date", 4.0, 2016),
        ("target_date", 4.0, 2015),
        ("targeted_clearance", 7.0, 2016),
        ("targeted_clearance", 6.0, 2015),
        ("national_funding", 5.0, 2016),
        ("national_funding", 5.0, 2015),
        ("timely_clearance", 6.0, 2016),
        ("timely_clearance", 5.0, 2015),
        ("land_release_system", 7.0, 2016),
        ("land_release_system", 7.0, 2015),
        ("reporting", 4.0, 2016),
        ("reporting", 5.0, 2015),
        ("overall", 5.6, 2016),
        ("overall", 5.3, 2015),
    ]


def test_commentary_opening_with_a_one_letter_word_and_an_average_score_row():
    text = (
        "ASSESSMENT OF NATIONAL PROGRAMME PERFORMANCE\n"
        "Criterion Score (2020) Score (2019) Performance Commentary UNDERSTANDING OF AP 4 4 "
        "No baseline exists yet. (20% of overall score) INFORMATION MANAGEMENT 4 5 A new "
        "database was installed; data & REPORTING are incomplete. (10% of overall score) "
        "PLANNING AND TASKING 6 4 Tasking is reactive. (10% of overall score) "
        "Average Score 4.6 4.4 Overall Programme Performance: POOR\n"
    )
    assert read(text, 2021) == [
        ("understanding_of_contamination", 4.0, 2020),
        ("understanding_of_contamination", 4.0, 2019),
        ("information_management", 4.0, 2020),
        ("information_management", 5.0, 2019),
        ("planning_and_tasking", 6.0, 2020),
        ("planning_and_tasking", 4.0, 2019),
        ("overall", 4.6, 2020),
        ("overall", 4.4, 2019),
    ]
