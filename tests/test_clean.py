"""Text repair before anything reads words or numbers (sentences are our own)."""

from __future__ import annotations

import pytest

from extractor import clean


@pytest.mark.parametrize(
    "damaged,repaired",
    [
        # PDF text splits ligatures with a space (or a line break)
        ("a more effi cient method", "a more efficient method"),
        ("the fi rst-ever survey", "the first-ever survey"),
        ("areas confi rmed as mined", "areas confirmed as mined"),
        ("fulfi lling its obligations", "fulfilling its obligations"),
        ("an effi\ncient method", "an efficient method"),
        ("EFFI CIENT CLEARANCE", "EFFICIENT CLEARANCE"),
        # MAR HTML drops them
        ("a confrmed hazardous area", "a confirmed hazardous area"),
        ("a specifc strategy", "a specific strategy"),
        ("fell signifcantly", "fell significantly"),
        ("a more effcient method", "a more efficient method"),
        ("Confrmed areas", "Confirmed areas"),
        # near misses: real words stay as they are
        ("the staff members", "the staff members"),
        ("a safe fi eld", "a safe field"),
        ("the chief engineer", "the chief engineer"),
        ("off road", "off road"),
        ("if a deminer", "if a deminer"),
    ],
)
def test_ligatures_are_repaired_from_the_word_list(damaged, repaired):
    assert clean.repair_ligatures(damaged) == repaired


@pytest.mark.parametrize(
    "text,joined",
    [
        ("the clear-\nance of mines", "the clearance of mines"),
        ("opera-\ntors reported", "operators reported"),
        ("non-\ntechnical survey", "non-technical survey"),
        ("mine-\naffected communities", "mine-affected communities"),
        ("anti-\npersonnel mines", "anti-personnel mines"),
        ("cluster munition-\ncontaminated land", "cluster munition-contaminated land"),
        ("the 2018-\n2025 strategy", "the 2018-2025 strategy"),
        ("Mine Action Review-\nMAR", "Mine Action Review-MAR"),
    ],
)
def test_hyphenation_at_line_ends(text, joined):
    assert clean.join_hyphenation(text) == joined


@pytest.mark.parametrize(
    "text,stripped",
    [
        ("Program Performance: AVERAGE[1]", "Program Performance: AVERAGE"),
        ("187[3]", "187"),
        (
            "destroyed 1,818 submunitions.1 These figures",
            "destroyed 1,818 submunitions. These figures",
        ),
        ("as the table shows.[12]", "as the table shows."),
        ("was cleared in 2017.3", "was cleared in 2017.3"),  # a number, not a marker
        # ... but a year's full stop before the next sentence takes a note number
        ("at the end of 2017.2 The reduction", "at the end of 2017. The reduction"),
        ("covering 4.5km2 in 2019", "covering 4.5km2 in 2019"),
    ],
)
def test_footnote_markers_are_stripped_before_numbers_are_read(text, stripped):
    assert clean.strip_footnote_markers(text) == stripped


@pytest.mark.parametrize(
    "damaged,repaired",
    [
        # the ligature glyph dropped, a space left in its place
        ("1,250km2 of con rmed hazardous area", "1,250km2 of confirmed hazardous area"),
        ("CMR-a ected land", "CMR-affected land"),
        ("a signi cant and e cient programme", "a significant and efficient programme"),
        ("the rst time; to ful l its obligations", "the first time; to fulfil its obligations"),
        ("CON RMED", "CONFIRMED"),
        # a word-initial gap needs three letters after it; real words are left alone
        ("in ve years", "in ve years"),
        ("the ood led to", "the flood led to"),
        ("one of the best", "one of the best"),
    ],
)
def test_ligatures_dropped_with_a_gap(damaged, repaired):
    assert clean.clean_text(damaged) == repaired


@pytest.mark.parametrize(
    "text,stripped",
    [
        ("some 1,250km2 5 of confirmed area", "some 1,250km2 of confirmed area"),
        ("at roughly 167km2,3 though it", "at roughly 167km2, though it"),
        ("had cancelled 2.1km2.3 The four", "had cancelled 2.1km2. The four"),
        (
            "destroying 13,498 anti-personnel mines3 in the process",
            "destroying 13,498 anti-personnel mines in the process",
        ),
        # numbers after a unit that are not notes
        ("cleared 5km2, 3 teams worked", "cleared 5km2, 3 teams worked"),
        ("released 4km2. 3 more were", "released 4km2. 3 more were"),
    ],
)
def test_note_numbers_after_an_area(text, stripped):
    assert clean.strip_footnote_markers(text) == stripped


@pytest.mark.parametrize(
    "text,stripped",
    [
        (
            "mineactionreview.org 181 ASSESSMENT OF NATIONAL PROGRAMME PERFORMANCE",
            "  ASSESSMENT OF NATIONAL PROGRAMME PERFORMANCE",
        ),
        (
            "was cleared in 42 Clearing Cluster Munition Remnants 2018 STATES PARTIES the north",
            "was cleared in   the north",
        ),
        ("CLEARING THE MINES 2019", "CLEARING THE MINES 2019"),  # a title, not a running head
        # in capitals, on a line of their own, page number before or after
        ("item one\n58 CLEARING CLUSTER MUNITION REMNANTS 2020\nitem two", "item one\n \nitem two"),
        ("contam-\nCLEARING THE MINES 2017 93\nination", "contam-\n \nination"),
    ],
)
def test_running_heads_left_inside_text(text, stripped):
    assert clean.strip_running_heads(text) == stripped


def test_clean_text_does_everything_in_order():
    text = "In 2019, the effi cient clear-\nance of 1.2km2[4] was confi rmed ."
    assert clean.clean_text(text) == "In 2019, the efficient clearance of 1.2km2 was confirmed ."


def test_odd_spaces_and_ligature_characters():
    assert clean.clean_text("1,200\u00a0m2 e\ufb03cient") == "1,200 m2 efficient"
    assert clean.clean_text("areas ,mines") == "areas ,mines"
    assert clean.clean_text("areas , mines") == "areas, mines"


@pytest.mark.parametrize(
    "raw,mended",
    [
        # a line break the text extractor joined with a space
        ("was suspected haz- ardous area", "was suspected hazardous area"),
        (
            "non- technical survey and mine- affected land",
            "non-technical survey and mine-affected land",
        ),
        # a hyphen left hanging before a conjunction, and numbers, stay
        ("sex- and age-disaggregated data", "sex- and age-disaggregated data"),
        ("in 2018- 2019", "in 2018- 2019"),
    ],
)
def test_a_hyphenated_break_joined_with_a_space_is_mended(raw, mended):
    assert clean.join_hyphenation(raw) == mended
