"""Document metadata (country, series, edition year: each with its rule) and sections.
Texts are our own; URLs follow the publishers' patterns (SOURCES.md)."""

from __future__ import annotations

import pytest

from extractor import countries, segment
from extractor.load import page_from_text
from extractor.model import LoadedDocument

MAR = "https://www.mineactionreview.org/country"
MONITOR = "https://www.the-monitor.org/en-gb/reports"


def doc(text: str, url: str | None = None, title: str | None = None) -> LoadedDocument:
    return LoadedDocument(None, url, "0" * 64, "text/plain", title, [page_from_text(1, text)])


def meta(text: str, url: str | None = None, title: str | None = None, **overrides):
    found = segment.metadata(doc(text, url, title), overrides)
    return (found.country_code, found.series, found.report_year), found.rules


CASES = [
    # MAR country pages: the tab gives the series, the slug the country; on the base page
    # (the CMR tab of a country with cluster munition remnants) the report named wins
    (
        f"{MAR}/cambodia",
        'Click here to download the full "Clearing Cluster Munition Remnants 2019" report '
        "for Cambodia.",
        ("KHM", "mar-cmr", 2019),
        {"series": "text:download-line", "report_year": "text:download-line"},
    ),
    (
        f"{MAR}/cambodia",
        "Cluster Munition Remnants\nAnti-Personnel Mines\nIn 2018, operators destroyed "
        "submunitions in the north-east.",
        ("KHM", "mar-cmr", 2019),
        {"series": "url:mar-country-page"},
    ),
    # a chapter copied to docslib.org keeps the report's title in its address
    (
        "https://docslib.org/doc/2937114/ruritania-clearing-the-mines-2016",
        "RURITANIA\nIn 2015, the army cleared 0.3km2 of mined area.",
        (None, "mar-mines", 2016),
        {"series": "url:docslib-title"},
    ),
    (
        "https://docslib.org/doc/9182734/chad-clearing-cluster-munition-remnants-2019",
        "CHAD\nIn 2018, 82 submunitions were destroyed.",
        ("TCD", "mar-cmr", 2019),
        {"series": "url:docslib-title"},
    ),
    # the base page of a country with mines only shows the mines tab
    (
        f"{MAR}/algeria",
        "Cluster Munition Remnants\nAnti-Personnel Mines\n  \u2022 Article 5 deadline\n"
        "1 April 2017\nIn 2015, the army cleared mined areas on the border.",
        ("DZA", "mar-mines", 2016),
        {"series": "text:article-deadline"},
    ),
    (
        f"{MAR}/egypt",
        "Cluster Munition Remnants\nAnti-Personnel Mines\nIn 2017, the army cleared "
        "minefields in the Western Desert.",
        ("EGY", "mar-mines", 2018),
        {"series": "text:mines-only"},
    ),
    (
        f"{MAR}/lao-peoples-democratic-republic/anti-personnel-mines",
        "In 2019, operators cleared land.",
        ("LAO", "mar-mines", 2020),
        {"country": "url:slug", "report_year": "text:years"},
    ),
    (
        "http://mineactionreview.org/country/bosnia-and-herzegovina/anti-personnel-mines",
        'Download the full "Clearing the Mines 2021" report for Bosnia and Herzegovina',
        ("BIH", "mar-mines", 2021),
        {},
    ),
    # a stale download heading: the report title in the link and the text agree on 2017
    (
        f"{MAR}/testland-is-not-a-country/anti-personnel-mines",
        "Despite lower funding in 2016, clearance rose.\n"
        "Download the Full 2016 Report for Afghanistan\n"
        'Click here to download the "Clearing the Mines 2017" report for Afghanistan.',
        ("AFG", "mar-mines", 2017),
        {"country": "text:download-line", "report_year": "text:download-line"},
    ),
    # a stale download line: the text reports events after it
    (
        f"{MAR}/zimbabwe/anti-personnel-mines",
        "In 2021, clearance rose. In May 2022, the strategy was revised.\n"
        'Click here to download the "Clearing the Mines 2020" report for Zimbabwe.',
        ("ZWE", "mar-mines", 2022),
        {"report_year": "text:years (download line stale)"},
    ),
    # the Monitor: "Last updated" wins over the URL's year folder
    (
        f"{MONITOR}/2021/germany/mine-action.aspx",
        "Germany\nMine Action\nLast updated: 08 July 2018\nIn 2017, clearance began.",
        ("DEU", "monitor", 2018),
        {"report_year": "text:last-updated"},
    ),
    (
        f"{MONITOR}/2016/lao-pdr/mine-action.aspx",
        "In 2015, operators cleared land.",
        ("LAO", "monitor", 2016),
        {"report_year": "url:monitor-year"},
    ),
    # old Monitor archive: the year and the slug are in the query string
    (
        "http://archives.the-monitor.org/index.php/publications/display?url=lm%2F2004%2Fsomaliland.html",
        "Key developments since May 2003: a survey was completed in March 2003.",
        ("XSL", "monitor", 2004),
        {"country": "url:archive-file", "report_year": "url:monitor-archive-year"},
    ),
    # ... also with the reports' "countries/" folder
    (
        "http://archives.the-monitor.org/index.php/publications/display?url=lm/2009/countries/drc.html",
        "In 2008, operators cleared land.",
        ("COD", "monitor", 2009),
        {"country": "url:archive-file", "report_year": "url:monitor-archive-year"},
    ),
    # a name inside a longer one is no mention of its own
    (
        None,
        "Guinea-Bissau\nMine Action\nLast updated: 2 October 2011\nGuinea-Bissau declared "
        "completion in December 2012; Guinea and Senegal border it. Guinea-Bissau cleared land.",
        ("GNB", "monitor", 2011),
        {"country": "text:opening"},
    ),
    # a Wayback Machine snapshot of a country page
    (
        "https://web.archive.org/web/20190704120000/https://www.mineactionreview.org/country/angola",
        "In 2018, land release rose sharply.",
        ("AGO", "mar-cmr", 2019),
        {"report_year": "text:years (before snapshot)"},
    ),
    # a Monitor report chapter
    (
        None,
        "LANDMINE MONITOR 2019\nTESTLAND\nIn 2018, 2km2 was cleared.",
        (None, "monitor", 2019),
        {"series": "text:title", "report_year": "text:title"},
    ),
    # no URL: the PDF title, then the text
    (
        None,
        "CLEARING THE MINES 2019\nSERBIA\nIn 2018, Serbia requested an extension.",
        ("SRB", "mar-mines", 2019),
        {"report_year": "text:title", "country": "text:opening"},
    ),
    # a PDF chapter copied onto another site: its running head names the edition
    (
        "https://docs.example.org/doc/testland-chapter",
        "TESTLAND\nIn 2020, 2km2 was cleared. In 2021, a strategy was adopted.\n"
        "■ Testland should survey.\n\n44 CLEARING CLUSTER MUNITION REMNANTS 2021\n\n"
        "■ Testland should report.",
        (None, "mar-cmr", 2021),
        {"series": "text:running-head", "report_year": "text:running-head"},
    ),
    (
        None,
        "Clearance rose in 2016.\nCLEARING THE MINES 2017 93\nMore text.",
        (None, "mar-mines", 2017),
        {"series": "text:running-head", "report_year": "text:running-head"},
    ),
    # a link to the chapter's PDF that is not a "download" line
    (
        f"{MAR}/lao-pdr",
        "In 2018, 41km2 was cleared. Lao PDR asked for an extension in 2019.\n"
        "Full chapter: Clearing Cluster Munition Remnants 2019, Lao PDR (PDF, 2.1MB)",
        ("LAO", "mar-cmr", 2019),
        {"report_year": "text:download-line"},
    ),
    # the deadline line under a chapter's country name names the convention, so the series
    (
        None,
        "TESTLAND\nANTI-PERSONNEL MINE BAN CONVENTION ARTICLE 5 DEADLINE: 1 MARCH 2028\n"
        "In 2023, 5km2 was cleared.",
        (None, "mar-mines", 2024),
        {"series": "text:deadline-heading"},
    ),
    (
        None,
        "TESTLAND\nCONVENTION ON CLUSTER MUNITIONS ARTICLE 4 DEADLINE: 1 JUNE 2026\n",
        (None, "mar-cmr", None),
        {"series": "text:deadline-heading"},
    ),
]


@pytest.mark.parametrize("url,text,expected,rules", CASES)
def test_metadata_rules(url, text, expected, rules):
    found, used = meta(text, url)
    assert found == expected
    for key, rule in rules.items():
        assert used[key] == rule


def test_overrides_win_and_say_so():
    found, used = meta(
        "In 2019, land was cleared.", f"{MAR}/angola", country="Lao PDR", report_year=2012
    )
    assert found == ("LAO", "mar-cmr", 2012)
    assert used["country_code"] == used["report_year"] == "override"


@pytest.mark.parametrize(
    "text,year",
    [
        ("In 2018, clearance rose. In 2018, funding fell. The deadline is 1 March 2025.", 2019),
        ("The strategy for 2021-2026 was drafted. Clearance fell in 2020.", 2021),
        ("In 2022, clearance rose. The office reopened in October 2023.", 2023),
        ("Clearance should be complete by 2025. It rose in 2019.", 2020),
        ("As at May 2016, the authority estimated contamination at 334km2.", 2016),
        ("At the end of 2017, 60km2 remained.", 2018),
        # one mention each: the year with an output is the year reported on, the other one
        # (an event) can be the edition's own year
        ("Output in 2021 totalled 5.6km2. In 2022, Testland asked for more time.", 2022),
        (
            "In 2022, Testland asked for more time. In 2021, 1,396 submunitions were destroyed.",
            2022,
        ),
        ("Testland asked for more time in 2019. In 2018, 41.3km2 was cleared.", 2019),
        ("Work stopped in the second quarter of 2020. Operators released 3.1km2 that year.", 2021),
        ("No years at all.", None),
        # the year a quantity is compared with; a date proposed "as its new deadline"
        (
            "Output dipped in 2016. Teams cleared 1.38km2 over the year, down from 1.71km2 in "
            "2015. The move to IMSMA, first announced in 2015, was carried out.",
            2017,
        ),
        ("In 2019, 2km2 was cleared. Testland proposed 1 June 2026 as its new deadline.", 2020),
        # a deadline under its label across a blank line, a date an extension runs "to" or
        # time is needed "beyond": none is the edition's
        ("Article 5 deadline\n\n    1 March 2021\n\nProgress stayed slow through 2017.", 2018),
        ("Testland will need more time beyond March 2021. Clearance stalled in 2017.", 2018),
        (
            "In 2024, 49.7km2 was cleared. Early in 2025, Testland asked for five more years, "
            "to August 2030.",
            2025,
        ),
        # a deadline told by the treaty's words, or set "as" a new deadline further on
        (
            "The final date by which Testland must have destroyed all mines in mined areas it "
            "controls is 1 March 2018. In 2016, 0.4km2 was cleared.",
            2017,
        ),
        (
            "In 2022, 0.2km2 was cleared. Testland must clear them as soon as possible, but not "
            "later than 31 December 2024.",
            2023,
        ),
        (
            "In 2018, 0.1km2 was cleared. The Meeting in November 2018 set 31 December 2020 as "
            "Testland's new deadline.",
            2019,
        ),
        # "as the new date"; a meeting to come; an output of none is an output
        (
            "In 2019, 3km2 was cleared. The Conference granted it in November 2019, fixing 1 "
            "August 2023 as the new date.",
            2020,
        ),
        (
            "In 2020, 5km2 was cleared. The decision will be taken at the Meeting of States "
            "Parties in November 2022.",
            2021,
        ),
        (
            "Testland reported no land release in 2019. In 2020, the centre said it planned a "
            "completion plan. A survey was finished in 2012.",
            2020,
        ),
    ],
)
def test_edition_year_from_the_years_in_the_text(text, year):
    assert segment.text_year(text) == year


@pytest.mark.parametrize(
    "name,code",
    [
        ("Lao PDR", "LAO"),
        ("Lao People's Democratic Republic", "LAO"),
        ("LAO PEOPLE'S DEMOCRATIC REPUBLIC", "LAO"),
        ("lao-peoples-democratic-republic", "LAO"),
        ("lao-pdr", "LAO"),
        ("bosnia-and-herzegovina", "BIH"),
        ("Democratic Republic of the Congo", "COD"),
        ("Kosovo", "XKX"),
        ("Nagorno-Karabakh", "XNK"),
        ("Western Sahara", "XWS"),
        ("Somaliland", "XSL"),
        ("Abkhazia", "XAB"),
        ("Falkland Islands/Malvinas", "GBR"),
        ("KHM", "KHM"),
        ("Atlantis", None),
    ],
)
def test_country_names_and_other_areas(name, code):
    found = countries.lookup(name)
    assert (found.code if found else None) == code


@pytest.mark.parametrize(
    "heading,section",
    [
        ("Recommendations for Action", "recommendations"),
        ("Recommendation for Action", "recommendations"),
        ("RECOMMENDATIONS FOR ACTION", "recommendations"),
        ("Recommendations for action", "recommendations"),
        ("Recommendations", "recommendations"),
        ("Key Developments", "key_developments"),
        ("Performance Commentary", "performance_commentary"),
        ("Performance", "performance"),
        ("Five-Year Overview", "five_year_overview"),
        ("Land release in 2017", "land_release"),
        ("Extent of contamination as of end 2017", "contamination"),
        ("KEY DATA 2018", "key_data"),
        ("Mine action management", "management"),
        ("Strategic planning", "management"),
        ("Program Management", "management"),
        ("Standards", "management"),
        ("Quality management", "management"),
        # the end of a sentence wrapped onto a line of its own is no heading
        ("mine action coordination.", None),
        ("standards.", None),
        # a performance criterion's name: a cell of a flattened score table
        ("Information management and reporting", None),
        ("Planning and tasking", None),
        ("The recommendations for action were repeated in 2019.", None),
    ],
)
def test_section_headings(heading, section):
    assert segment.heading_name(heading) == section


def test_a_heading_glued_to_its_paragraph_opens_the_section():
    text = "KEY DEVELOPMENTS In 2018, Testland adopted a strategy.\nRECOMMENDATIONS FOR ACTION"
    sections = segment.sections(doc(text))
    assert [(s.name, [b.text for b in s.blocks]) for s in sections] == [
        ("key_developments", ["In 2018, Testland adopted a strategy."]),
        ("recommendations", []),
    ]


def test_a_listing_page_is_about_no_country():
    """Regression: the sample site's home page (a list of country links) was filed as a
    Cambodia report because Cambodia is the first country it names."""
    from extractor.load import load_bytes
    from extractor.segment import metadata

    html = (
        b"<html><head><title>Mine Action Review</title></head><body><main>"
        b"<h1>Mine Action Review</h1><p>A test listing page written for the tracker.</p>"
        b"<h2>Countries</h2><ul><li><a href='/country/cambodia'>Cambodia</a></li>"
        b"<li><a href='/country/lebanon'>Lebanon</a></li></ul></main></body></html>"
    )
    meta = metadata(load_bytes(html, "text/html", url="https://www.mineactionreview.org/"))
    assert meta.country_code is None and "country" not in meta.rules
    page = html.replace(b"<h2>Countries</h2>", b"<h2>Key Developments</h2><p>Cambodia did.</p>")
    assert metadata(load_bytes(page, "text/html")).country_code == "KHM"
