"""`tracker eval`: the extractor scored against the hand-labelled gold files (tests/gold) of
the real documents in ../shared. The floors sit a little under the scores measured when
the gold was labelled (the rules were tuned on these documents, so they are optimistic:
the gate catches regressions, it does not measure generalisation)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli

GOLD = Path(__file__).resolve().parent / "gold"


def _eval(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["eval", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_extraction_keeps_its_scores_on_the_gold_documents(shared):
    data = _eval(str(GOLD), "--documents", str(shared))
    assert data["documents"] == len(list(GOLD.glob("*.yml"))) and data["errors"] == []
    assert data["metadata"]["all"] == 1.0
    for kind in ("figures", "recommendations", "developments"):
        assert data[kind]["precision"] >= 0.95 and data[kind]["recall"] >= 0.95, data[kind]
    assert data["primary_topic_accuracy"] >= 0.95
    assert data["topics"]["precision"] >= 0.85 and data["topics"]["recall"] >= 0.95


TESTS = Path(__file__).resolve().parent


# floors a little under each set's score today: (developments P, R), (topics P, R), primary
HELDOUT_FLOORS = {
    "heldout": ((0.85, 0.85), (0.85, 0.8), 0.8),
    "heldout2": ((0.85, 0.85), (0.85, 0.85), 0.85),
    "heldout3": ((0.65, 0.7), (0.75, 0.8), 0.65),
    "heldout5": ((0.8, 0.72), (0.75, 0.85), 0.85),
    "heldout6": ((0.7, 0.7), (0.65, 0.8), 0.75),
    "heldout7": ((0.84, 0.78), (0.85, 0.78), 0.85),
    "heldout8": ((0.9, 0.78), (0.7, 0.85), 0.9),
    "heldout9": ((0.76, 0.64), (0.8, 0.85), 0.9),
    "heldout10": ((0.72, 0.64), (0.78, 0.85), 0.8),
    "heldout11": ((0.88, 0.86), (0.72, 0.94), 0.85),
    "heldout12": ((0.83, 0.67), (0.78, 0.95), 0.9),
    "heldout13": ((0.88, 0.82), (0.84, 0.93), 0.9),
    "heldout14": ((0.82, 0.72), (0.8, 0.94), 0.9),
    "heldout15": ((0.78, 0.73), (0.72, 0.82), 0.88),
    "heldout16": ((0.82, 0.77), (0.76, 0.85), 0.8),
    "heldout17": ((0.78, 0.73), (0.76, 0.92), 0.8),
    "heldout18": ((0.82, 0.69), (0.7, 0.9), 0.88),
    "heldout19": ((0.79, 0.83), (0.74, 0.88), 0.8),
    "heldout20": ((0.72, 0.56), (0.74, 0.8), 0.82),
    # heldout21 and heldout22: their labellers list a not-done event beside the same event
    # under way; the labellers of heldout10, 23 and 25 list only the work under way, as the
    # extractor does since the twenty-third round (recall 0.876 -> 0.825 and 0.511 -> 0.489)
    "heldout21": ((0.83, 0.8), (0.65, 0.78), 0.8),
    "heldout22": ((0.6, 0.47), (0.66, 0.7), 0.74),
    "heldout23": ((0.7, 0.73), (0.77, 0.9), 0.86),
    "heldout24": ((0.78, 0.65), (0.66, 0.82), 0.8),
    "heldout25": ((0.77, 0.75), (0.78, 0.8), 0.84),
    "heldout26": ((0.84, 0.65), (0.7, 0.83), 0.86),
    "heldout27": ((0.88, 0.7), (0.7, 0.88), 0.8),
    "heldout28": ((0.87, 0.71), (0.83, 0.9), 0.85),
}
# figures (precision, recall) where a set is under 0.95: the misses left are told in its README
FIGURE_FLOORS = {
    "heldout7": (0.95, 0.9),
    "heldout8": (0.92, 0.86),
    "heldout9": (0.95, 0.9),
    "heldout10": (0.94, 0.88),
    "heldout12": (0.95, 0.9),
    "heldout14": (0.95, 0.86),
    "heldout16": (0.92, 0.72),
    "heldout17": (0.95, 0.9),
    "heldout18": (0.92, 0.84),
    "heldout19": (0.95, 0.87),
    "heldout20": (0.72, 0.63),
    "heldout21": (0.95, 0.92),
    "heldout22": (0.92, 0.88),
    "heldout23": (0.95, 0.92),
    "heldout24": (0.97, 0.92),
    "heldout25": (0.96, 0.93),
    "heldout26": (0.95, 0.88),
    "heldout27": (0.97, 0.95),
    "heldout28": (0.97, 0.93),
}
# metadata (all three right) where a set is under 1.0: heldout20's two MAR page excerpts state
# no year a report describes (its README); heldout28 as first scored (a validation set)
METADATA_FLOORS = {"heldout20": 0.83, "heldout28": 0.91}


@pytest.mark.parametrize("folder", sorted(HELDOUT_FLOORS))
def test_extraction_keeps_its_scores_on_the_held_out_documents(folder):
    """tests/heldout*: documents we wrote, labelled without the extractor. Their first scores
    (their READMEs) measured generalisation; rules have been fitted to them since, so these
    floors, a little under today's scores, only catch regressions."""
    data = _eval(str(TESTS / folder / "gold"), "--documents", str(TESTS / folder))
    assert data["documents"] == len(list((TESTS / folder / "gold").glob("*.yml")))
    assert data["errors"] == []
    assert data["metadata"]["all"] >= METADATA_FLOORS.get(folder, 1.0)
    assert data["recommendations"]["precision"] >= 0.95, data["recommendations"]
    assert data["recommendations"]["recall"] >= 0.95, data["recommendations"]
    figure_p, figure_r = FIGURE_FLOORS.get(folder, (0.95, 0.95))
    assert data["figures"]["precision"] >= figure_p and data["figures"]["recall"] >= figure_r
    (dev_p, dev_r), (topic_p, topic_r), primary = HELDOUT_FLOORS[folder]
    assert data["developments"]["precision"] >= dev_p, data["developments"]
    assert data["developments"]["recall"] >= dev_r, data["developments"]
    assert data["topics"]["precision"] >= topic_p and data["topics"]["recall"] >= topic_r
    assert data["primary_topic_accuracy"] >= primary


def test_bad_gold_files_are_named_and_the_others_scored(shared, tmp_path):
    good = sorted(GOLD.glob("*.yml"))[:2]
    for path in good:
        shutil.copy(path, tmp_path)
    (tmp_path / "broken.yml").write_text("file: x\n  bad: [\n")
    (tmp_path / "list.yml").write_text("- not a mapping\n")
    (tmp_path / "elsewhere.yml").write_text(
        "file: corpus/not-there.txt\ndocument: {country_code: KHM}\n"
    )
    data = _eval(str(tmp_path), "--documents", str(shared))
    assert data["documents"] == 2
    assert data["errors"] == [
        f"broken: bad gold file {tmp_path / 'broken.yml'} (mapping values are not allowed here)",
        f"elsewhere: document not found: {shared / 'corpus' / 'not-there.txt'}",
        f"list: bad gold file {tmp_path / 'list.yml'} (no `document:` mapping)",
    ]


def test_no_gold_file_scored_is_an_error(tmp_path):
    (tmp_path / "elsewhere.yml").write_text("file: not-there.txt\ndocument: {}\n")
    result = CliRunner().invoke(cli, ["eval", str(tmp_path), "--documents", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: {tmp_path}: no gold file could be scored (documents looked up in {tmp_path})"
    )
