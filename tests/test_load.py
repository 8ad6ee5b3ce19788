"""Reading HTML and text: structure kept, site chrome dropped, every page era of the
publishers (SOURCES.md). The pages are written for the tests; their facts are invented."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from extractor import load
from extractor.errors import UnreadableDocument
from extractor.pipeline import extract_bytes
from tracker.cli import cli

CHROME = ("Home", "About Us", "Contact", "Email Notification", "Send us your feedback", "Search")

MAR_2017 = """<!DOCTYPE html><html><head><title>Testland | Mine Action Review</title></head>
<body>
<header class="site-header"><a href="/">Home</a><nav class="main-menu"><ul><li>About Us</li>
<li>Countries</li></ul></nav></header>
<div class="content">
<h1>Testland</h1>
<p>Testland is contaminated with anti-personnel mines.</p>
<ul class="tabs"><li><a>Cluster Munition Remnants</a></li><li><a>Anti-Personnel Mines</a></li></ul>
<ul><li>Article 5 deadline<br><strong>1 March 2021</strong></li><li>Performance</li></ul>
<table><tr><th>Performance Indicator</th><th>Score</th></tr>
<tr><td>Problem understood</td><td>6</td></tr>
<tr><td>Performance score</td><td>5.8</td></tr></table>
<p>N.B. The Testland Mine Action Centre does not agree with the findings of this report.</p>
<h2>Performance Commentary</h2>
<p>In 2016, operators cleared 2.1km<sup>2</sup> of mined land.<sup>3</sup></p>
<h2>Recommendations for Action</h2>
<ul><li>Testland should adopt a national mine action strategy.</li>
<li>TMAC should publish its survey data.</li></ul>
<h3>Download the Full 2017 Report for Testland</h3>
<p><a href="/x">Click here to download the "Clearing the Mines 2017" report for Testland.</a></p>
</div>
<footer><p>About Us | Contact | Send us your feedback</p></footer>
<script>var tracker = 1;</script>
</body></html>"""


def blocks(html: str) -> list[tuple[str, str]]:
    doc = load.load_bytes(html.encode(), "text/html")
    return [(b.kind, b.text) for b in doc.pages[0].blocks]


def test_mar_page_2016_2018_keeps_structure_and_drops_chrome():
    found = blocks(MAR_2017)
    texts = [text for _, text in found]
    assert not any(text in CHROME or "feedback" in text for text in texts)
    assert ("row", "Problem understood 6") in found
    assert ("row", "Performance score 5.8") in found
    assert ("heading", "Recommendations for Action") in found
    assert ("item", "Testland should adopt a national mine action strategy.") in found
    # the footnote reference is dropped, the km<sup>2</sup> unit kept
    assert ("paragraph", "In 2016, operators cleared 2.1km2 of mined land.") in found
    # <br> inside a list item: label and value stay apart
    assert ("item", "Article 5 deadline") in found and ("item", "1 March 2021") in found
    assert "var tracker" not in " ".join(texts)


def test_mar_page_2016_2018_extracts():
    result = extract_bytes(
        MAR_2017.encode(),
        "text/html",
        url="https://www.mineactionreview.org/country/testland/anti-personnel-mines",
    )
    assert (result.document.series, result.document.report_year) == ("mar-mines", 2017)
    assert [(f.metric, f.criterion, f.value, f.year) for f in result.figures] == [
        ("performance_score", "problem_understood", 6.0, 2016),
        ("performance_score", "overall", 5.8, 2016),
        ("area_cleared", None, 2.1, 2016),
    ]
    assert len(result.recommendations) == 2


MAR_2022 = """<html><body><main>
<h1>Testland</h1>
<h2>Performance</h2><p class="rating">Very Good</p>
<table><thead><tr><th>Performance Criterion</th><th>Score</th></tr></thead><tbody>
<tr><td>Understanding of CMR contamination (20% of overall score)</td><td>8</td></tr>
<tr><td>Performance score</td><td>8.1</td></tr></tbody></table>
<h2>Key Developments</h2>
<p>In 2021, Testland released 4.4km<sup>2</sup> of cluster munition-contaminated area and
destroyed 1,020 submunitions.</p>
<h2>Recommendations for Action</h2>
<ul><li>Testland should finish the baseline survey.</li></ul>
<h3>Download the full "Clearing Cluster Munition Remnants 2022" report for Testland</h3>
</main></body></html>"""


def test_mar_page_2019_2023_with_rating_word():
    result = extract_bytes(MAR_2022.encode(), "text/html")
    scores = [f for f in result.figures if f.metric == "performance_score"]
    assert [(f.criterion, f.value, f.year, f.flags) for f in scores] == [
        ("understanding_of_contamination", 8.0, 2021, []),
        ("overall", 8.1, 2021, ["rating:very_good"]),
    ]
    others = [(f.metric, f.value, f.year) for f in result.figures if f not in scores]
    assert others == [("area_released", 4.4, 2021), ("submunitions_destroyed", 1020.0, 2021)]


MAR_2024 = """<html><body>
<div class="country-title"><h1>Testland</h1></div>
<div class="field-body">
<h2>Key Developments</h2>
<p>In 2023, Testland cleared 3.3km<sup>2</sup>.</p>
<h2>Five-Year Overview</h2>
<p>Over the last five years, total clearance reached 15.2km<sup>2</sup>.</p>
<h2>Recommendations for Action</h2>
<p>-</p>
<p>Testland should seek more funding.</p>
<p>Testland should adopt a gender policy.</p>
</div></body></html>"""


def test_mar_page_2024_2025_without_bullets():
    result = extract_bytes(
        MAR_2024.encode(),
        "text/html",
        url="https://www.mineactionreview.org/country/testland/anti-personnel-mines",
        country="Testland",
        year=2024,
    )
    assert [(f.metric, f.value, f.year) for f in result.figures] == [
        ("area_cleared", 3.3, 2023),
        ("area_cleared", 15.2, 2023),
    ]
    assert [r.text for r in result.recommendations] == [
        "Testland should seek more funding.",
        "Testland should adopt a gender policy.",
    ]


MONITOR_2018 = """<html><body>
<div id="menu"><a>Home</a> <a>Reports</a></div>
<div class="profile">
<h1>Testland</h1><h2>Mine Action</h2>
<p class="updated">Last updated: 12 November 2018</p>
<h3>Mine action strategic plan</h3><p>National Mine Action Strategy 2018–2023</p>
<h3>Extent of contamination as of end 2017</h3><p>Landmines</p><p>4.5km2 CHA</p>
<h3>Land release in 2017</h3><p>Landmines</p><p>0.6km2 cleared and 0.2km2 reduced</p>
<p>310 antipersonnel mines destroyed</p>
</div>
<div class="sidebar"><p>Email Notification</p></div>
</body></html>"""


def test_monitor_label_value_blocks():
    result = extract_bytes(
        MONITOR_2018.encode(),
        "text/html",
        url="https://www.the-monitor.org/en-gb/reports/2018/testland/mine-action.aspx",
    )
    assert (result.document.series, result.document.report_year) == ("monitor", 2018)
    assert [(f.metric, f.value, f.year) for f in result.figures] == [
        ("confirmed_hazardous_area", 4.5, 2017),
        ("area_cleared", 0.6, 2017),
        ("area_reduced", 0.2, 2017),
        ("ap_mines_destroyed", 310.0, 2017),
    ]


OLD_MONITOR = """<html><body bgcolor="#ffffff">
<table width="100%"><tr><td class="nav">
<a href="/">Home</a> | <a href="/about">About Us</a> | <a href="/notify">Email Notification</a>
</td></tr>
<tr><td>
<table><tr><td valign="top"><font face="Arial">
<p><b>Key developments since May 2003:</b> According to the operators, in 2003 they<br>
cleared a total of 150,200 square meters of mined land and about 9 million<br>
square meters of battle area, destroying 905 antipersonnel mines.</p>
</font></td></tr></table>
</td></tr>
<tr><td>Send us your feedback</td></tr></table>
</body></html>"""


def test_old_monitor_table_layout_with_hard_line_wraps():
    found = blocks(OLD_MONITOR)
    texts = [text for _, text in found]
    assert not any(text in CHROME or "Email Notification" in text for text in texts)
    result = extract_bytes(OLD_MONITOR.encode(), "text/html", year=2004, country="Somaliland")
    assert [(f.metric, f.value, f.year) for f in result.figures] == [
        ("area_cleared", 0.1502, 2003),
        ("area_cleared", 9.0, 2003),
        ("ap_mines_destroyed", 905.0, 2003),
    ]


def test_plain_text_takes_its_url_line_and_joins_hard_wrapped_prose():
    text = (
        "URL: https://www.the-monitor.org/en-gb/reports/2016/testland/mine-action.aspx\n\n"
        "In 2015, the three operators working in the north of the country reported that they\n"
        "cleared a total of 1.2 million square meters of mined land and destroyed a further\n"
        "880 antipersonnel mines, while survey teams visited every district and recorded\n"
        "the location of each hazardous area that had been reported by the communities.\n"
        "Short closing line.\n"
    )
    doc = load.load_bytes(text.encode(), name="testland.txt")
    assert doc.url.endswith("/2016/testland/mine-action.aspx")
    assert doc.pages[0].blocks[0].kind == "paragraph"
    assert "reported that they cleared a total of 1.2 million" in doc.pages[0].blocks[0].text


@pytest.mark.parametrize("bullet", ["•", "■", ">", "ŸŸ", "-"])
def test_bullets_make_items(bullet):
    doc = load.load_bytes(
        f"Recommendations\n{bullet} Testland should act.\n".encode(), name="t.txt"
    )
    assert [(b.kind, b.text) for b in doc.pages[0].blocks][1] == ("item", "Testland should act.")


def test_a_lone_dash_line_is_a_bullet_for_the_next_line():
    doc = load.load_bytes(b"Recommendations for Action\n-\nTestland should act.\n", name="t.txt")
    assert [b.kind for b in doc.pages[0].blocks] == ["paragraph", "bullet", "paragraph"]


def test_block_text_is_always_the_page_text_at_its_offsets():
    for html in (MAR_2017, MAR_2022, MONITOR_2018, OLD_MONITOR):
        page = load.load_bytes(html.encode(), "text/html").pages[0]
        assert all(page.text[b.start : b.end] == b.text for b in page.blocks)


@pytest.mark.parametrize(
    "data,name,cause",
    [
        (b"", "empty.txt", "empty file"),
        (b"   \n  ", "blank.html", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "image.txt", "binary file"),
        (b"\x00\x01\x02\x03" * 50, "page.html", "binary file"),
        (b"<html><body><script>x()</script></body></html>", "empty.html", "no text found"),
    ],
)
def test_unreadable_inputs_name_their_cause(data, name, cause):
    with pytest.raises(UnreadableDocument, match=cause):
        load.load_bytes(data, name=name)


def test_malformed_html_is_read_as_far_as_it_goes():
    doc = load.load_bytes(b"<html><body><p>Unclosed <b>tags <i>still read", name="cut.html")
    assert doc.pages[0].text == "Unclosed tags still read"


def test_cli_reports_each_bad_file_and_extracts_the_others(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(
        "URL: https://www.mineactionreview.org/country/angola\n\nIn 2019, 2km2 was cleared.\n"
    )
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\xff" * 100)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\nthis is not a PDF body")
    paths = [str(tmp_path / n) for n in ("empty.txt", "good.txt", "binary.txt", "broken.pdf")]
    result = CliRunner().invoke(cli, ["extract", "--json", *paths])
    assert result.exit_code != 0
    errors = result.stderr.strip().splitlines()
    assert errors[0] == f"Error: {paths[0]}: empty file"
    assert errors[1] == f"Error: {paths[2]}: binary file, not HTML, PDF or text"
    assert errors[2].startswith(f"Error: {paths[3]}: broken PDF")
    (line,) = result.stdout.strip().splitlines()
    assert json.loads(line)["figures"][0]["metric"] == "area_cleared"
