"""The published site (issue 7) through Datasette's own client, on the sample site's database:
every canned query, every dashboard chart's SQL, every feed, JSON/CSV exports, row pages,
settings, and metadata.yml describing every table and column."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import shutil
import time
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
import sqlite_utils
import yaml

from tests.site_fixture import Site, sample_database
from tracker import serve, store

ROOT = Path(__file__).resolve().parent.parent
METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
DB_META = METADATA["databases"]["tracker"]
QUERIES = DB_META["queries"]
DASHBOARDS = METADATA["plugins"]["datasette-dashboards"]
ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = [name for name in QUERIES if name.startswith("feed_")]
# canned queries the sample site always gives rows for (follow-up results are tested on a
# database written by hand below, so that they do not depend on the sample's wording)
SAMPLE_HAS_ROWS = {
    "status_by_country_year",
    "open_recommendations",
    "country_figures",
    "search",
    "update_history",
    "feed_new_recommendations",
    "feed_new_reports",
}
MAIN_TABLES = [
    "figures",
    "recommendations",
    "threads",
    "thread_status",
    "documents",
    "developments",
    "countries",
    "recommendation_status",
    "figures_cited",
    "citations",
]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    return sample_database(tmp_path_factory.mktemp("published"))


@pytest.fixture(scope="module")
def site(sample_db):
    site = Site(sample_db)
    yield site
    site.close()


def query_params(sql: str, **values) -> dict:
    """Values for the named parameters a query uses (others left out, as a visitor would)."""
    return {key: value for key, value in values.items() if f":{key}" in sql}


# -- serving settings --------------------------------------------------------------------------


def test_served_immutable_read_only_with_limits(site):
    ds = site.ds
    assert ds.get_database("tracker").is_mutable is False
    assert ds.setting("suggest_facets") is False
    assert ds.setting("sql_time_limit_ms") == serve.SETTINGS["sql_time_limit_ms"]
    assert ds.setting("max_returned_rows") == serve.SETTINGS["max_returned_rows"]
    assert ds.setting("allow_csv_stream") is True
    response = site.get("/tracker.json?" + urlencode({"sql": "delete from figures"}))
    assert response.status_code == 400
    assert "Statement must be a SELECT" in response.text
    assert site.sql("select count(*) as n from figures")[0]["n"] > 0


def test_no_facet_suggestions(site):
    data = site.get("/tracker/figures.json").json()
    assert data["suggested_facets"] == []
    assert {facet for facet in data["facet_results"]} == {"metric", "country_code", "year"}


def test_database_is_named_tracker_whatever_the_file(tmp_path, sample_db):
    copy = tmp_path / "renamed.db"
    copy.write_bytes(Path(sample_db).read_bytes())
    other = Site(copy)
    try:
        assert other.get("/tracker/figures.json?_size=1").status_code == 200
    finally:
        other.close()


def test_serve_refuses_what_is_not_a_tracker_database_in_one_line(tmp_path):
    from click.testing import CliRunner

    from tracker.cli import cli

    text = tmp_path / "notes.db"
    text.write_text("not a database")
    other = tmp_path / "other.db"
    sqlite_utils.Database(other)["things"].insert({"a": 1})
    expected = {
        text: "not a tracker database (file is not a database)",
        other: "not a tracker database (missing builds, documents, recommendations, threads; "
        "run `tracker build`)",
        tmp_path / "missing.db": "database not found (run `tracker build` first)",
    }
    for path, cause in expected.items():
        result = CliRunner().invoke(cli, ["serve", "--db", str(path), "--port", "1"])
        assert result.exit_code == 1
        assert result.output == f"Error: {path}: {cause}\n"


def test_serve_and_demo_refuse_a_port_out_of_range():
    from click.testing import CliRunner

    from tracker.cli import cli

    for command in (["serve", "--db", "tracker.db"], ["demo", "--no-serve"]):
        result = CliRunner().invoke(cli, [*command, "--port", "99999"])
        assert result.exit_code == 2
        assert "Invalid value for '--port': 99999 is not in the range 1<=x<=65535." in (
            result.output
        )


def test_serve_command_options():
    from tracker.cli import cli

    options = {opt for param in cli.commands["serve"].params for opt in param.opts}
    assert {"--db", "--host", "--port"} <= options


# -- home page -------------------------------------------------------------------------------


def test_home_page_says_what_where_from_licence_and_freshness(site):
    response = site.get("/")
    assert response.status_code == 200
    html = response.text
    assert "<title>Mine Action Recommendation Tracker</title>" in html
    assert "Recommendations for Action" in html
    assert "CC BY 4.0" in html and "mineactionreview.org" in html
    last_crawl = site.sql("select max(finished) as t from crawl_runs")[0]["t"]
    assert f'<time datetime="{last_crawl}">' in html
    assert "Documents by publisher" in html and "Mine Action Review</a> (" in html
    for link in (
        "/-/dashboards/country",
        "/-/dashboards/status",
        "/tracker/recommendation_status",
        "/tracker/figures_cited",
        "/tracker/discrepancies",
        "/tracker/search",
        "/tracker/feed_status_changes.atom",
        "/tracker/feed_new_recommendations.atom",
        "/tracker/feed_new_reports.atom",
    ):
        assert f'href="{link}"' in html, link
        assert site.get(link).status_code == 200, link


# -- canned queries --------------------------------------------------------------------------


def test_every_canned_query_has_a_title_and_a_description():
    for name, query in QUERIES.items():
        assert query.get("title") and query.get("description"), name


CANNED_CASES = [
    (name, country)
    for name, query in sorted(QUERIES.items())
    for country in (["", "KHM", "Cambodia"] if ":country" in query["sql"] else [""])
]


@pytest.mark.parametrize("name, country", CANNED_CASES)
def test_canned_query(site, name, country):
    sql = QUERIES[name]["sql"]
    params = query_params(sql, country=country, q="standards", metric="", year="")
    response = site.get(f"/tracker/{name}.json?" + urlencode({**params, "_shape": "objects"}))
    assert response.status_code == 200, response.text[:500]
    data = response.json()
    assert data["ok"], data
    page = site.get(f"/tracker/{name}?" + urlencode(params))
    assert page.status_code == 200
    assert f"<title>{QUERIES[name]['title']}</title>" in page.text
    if name not in SAMPLE_HAS_ROWS:
        return
    assert data["rows"], f"{name} returned no rows for country={country!r}"
    if country and "country_code" in data["rows"][0]:
        assert {row["country_code"] for row in data["rows"]} == {"KHM"}
    if country and "country" in data["rows"][0]:
        assert {row["country"] for row in data["rows"]} == {"Cambodia"}


def test_open_recommendations_say_how_long(site):
    rows = site.get("/tracker/open_recommendations.json?country=KHM&_shape=array").json()
    assert rows
    for row in rows:
        assert row["status"] in ("new", "repeated", "in_progress")
        assert row["years_open"] == row["latest_edition"] - row["first_asked"] >= 0


@pytest.mark.parametrize(
    "q, kind",
    [
        ("standards", "recommendations"),
        ("standards", "developments"),
        ("standards", "document_pages"),
        ("released", "figures"),
    ],
)
def test_search_across_recommendations_figures_and_documents(site, q, kind):
    rows = site.get(f"/tracker/search.json?q={q}&_shape=array").json()
    hits = [row for row in rows if row["kind"] == kind]
    assert hits, f"no {kind} for {q!r}"
    for row in hits:
        assert q[:6] in row["text"].lower()
        assert row["source_link"].startswith("http")
    html = site.get(f"/tracker/search?q={q}").text
    item = hits[0]["item_id"]
    assert f'href="/tracker/{kind}/{item}"' in html


def test_search_survives_fts_syntax(site):
    for q in ('"unbalanced', "evidence-based AND (", "*"):
        response = site.get("/tracker/search.json?" + urlencode({"q": q}))
        assert response.status_code == 200, q


# -- dashboards ------------------------------------------------------------------------------


def dashboard_chart_cases():
    for slug, dashboard in DASHBOARDS.items():
        for chart_slug in dashboard["charts"]:
            for filters in ({}, {"country": "Cambodia"}, {"country": "KHM"}):
                yield slug, chart_slug, filters


@pytest.mark.parametrize("slug, chart_slug, filters", list(dashboard_chart_cases()))
def test_dashboard_chart_sql(site, slug, chart_slug, filters):
    """Each chart's SQL as datasette-dashboards runs it (dashboards.js fetches this URL)."""
    from datasette_dashboards import replace_opts_in_query

    chart = DASHBOARDS[slug]["charts"][chart_slug]
    assert chart.get("title") and chart["db"] == "tracker"
    sql = replace_opts_in_query(chart["query"], filters)
    query = urlencode({"sql": sql, **filters, "_shape": "objects"})
    response = site.get(f"/tracker.json?{query}")
    assert response.status_code == 200, response.text[:500]
    data = response.json()
    assert data["ok"] and data["rows"], data
    assert not data["truncated"]
    columns = set(data["rows"][0])
    display = chart.get("display", {})
    if chart["library"] == "metric":
        assert display["field"] in columns
    if chart["library"] == "vega-lite":
        fields = {enc["field"] for enc in display["encoding"].values() if "field" in enc}
        assert fields <= columns, fields - columns
        assert display["usermeta"]["embedOptions"]["renderer"] == "svg"


def test_status_dashboard_topic_and_series_filters(site):
    from datasette_dashboards import replace_opts_in_query

    picked = site.sql("select topic, series from threads order by id limit 1")[0]
    expected = site.sql(
        "select count(*) as n from thread_status ts join threads t on t.id = ts.thread_id "
        "where t.topic = :topic and t.series = :series",
        picked,
    )[0]["n"]
    sql = replace_opts_in_query(DASHBOARDS["status"]["charts"]["by_year"]["query"], picked)
    rows = site.get("/tracker.json?" + urlencode({"sql": sql, **picked, "_shape": "array"}))
    assert sum(row["threads"] for row in rows.json()) == expected > 0


def test_dashboard_pages_and_their_filters(site):
    for slug, dashboard in DASHBOARDS.items():
        assert dashboard.get("title") and dashboard.get("description")
        response = site.get(f"/-/dashboards/{slug}?country=Cambodia")
        assert response.status_code == 200
        assert f"<h1>{dashboard['title']}</h1>" in response.text
        assert '<option value="Cambodia" selected>Cambodia</option>' in response.text


def test_country_dashboard_lists_open_and_implemented(site):
    from datasette_dashboards import replace_opts_in_query

    charts = DASHBOARDS["country"]["charts"]

    def rows(chart):
        sql = replace_opts_in_query(charts[chart]["query"], {"country": "KHM"})
        return site.get(
            "/tracker.json?" + urlencode({"sql": sql, "country": "KHM", "_shape": "array"})
        ).json()

    open_rows = rows("open")
    expected = site.sql(
        "select count(*) as n from threads where country_code = 'KHM' "
        "and status in ('new', 'repeated', 'in_progress')"
    )[0]["n"]
    assert len(open_rows) == expected > 0
    assert all(row["Country"] == "Cambodia" for row in open_rows)
    link = re.compile(r'<a href="/tracker/threads/[^"]+">')
    assert all(link.match(row["Recommendation"]) for row in open_rows)
    assert rows("land_released") and rows("devices") and rows("scores")


def test_charts_work_offline(site):
    """Every script and stylesheet of a dashboard comes from this server."""
    html = site.get("/-/dashboards/country?country=Cambodia").text
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert any("vega-lite" in asset for asset in assets)
    for asset in assets:
        if asset.startswith("http"):
            assert asset.startswith("http://localhost/"), asset
        response = site.get(asset.replace("http://localhost", ""))
        assert response.status_code == 200, asset
        assert "://cdn" not in response.text[:2000]


# -- feeds -----------------------------------------------------------------------------------


def parse_feed(text: str) -> list[dict]:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}") is not None and root.find(f"{ATOM}{tag}").text
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        item = {tag: entry.find(f"{ATOM}{tag}").text for tag in ("id", "title", "updated")}
        datetime.fromisoformat(item["updated"])
        link = entry.find(f"{ATOM}link")
        item["link"] = link.get("href") if link is not None else None
        entries.append(item)
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids)), "entry ids repeat"
    assert all(id_.startswith("tag:mine-action-tracker,2024:") for id_ in ids)
    return entries


@pytest.mark.parametrize("feed", FEEDS)
def test_feed_overall(site, feed):
    response = site.get(f"/tracker/{feed}.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    entries = parse_feed(response.text)
    assert entries
    if feed != "feed_status_changes":
        assert "/none/" not in entries[0]["id"]
    assert QUERIES[feed]["title"] in response.text
    for entry in entries[:5]:
        assert site.get(entry["link"]).status_code == 200, entry["link"]


@pytest.mark.parametrize("feed", FEEDS)
@pytest.mark.parametrize("country", ["KHM", "Cambodia", "lao pdr"])
def test_feed_per_country(site, feed, country):
    entries = parse_feed(site.get(f"/tracker/{feed}.atom?country={country}").text)
    name = "Lao PDR" if country == "lao pdr" else "Cambodia"
    assert entries
    real = [entry for entry in entries if "/none/" not in entry["id"]]
    assert all(entry["title"].startswith(name) for entry in real)
    if feed != "feed_status_changes":
        assert real


@pytest.mark.parametrize("feed", FEEDS)
def test_feed_for_a_country_with_nothing_is_still_valid(site, feed):
    entries = parse_feed(site.get(f"/tracker/{feed}.atom?country=XKX").text)
    assert len(entries) == 1 and "/none/" in entries[0]["id"]


# -- exports ---------------------------------------------------------------------------------


@pytest.mark.parametrize("table", MAIN_TABLES)
def test_json_and_csv_exports(site, table):
    total = site.sql(f"select count(*) as n from [{table}]")[0]["n"]
    assert total > 0
    rows = site.get(f"/tracker/{table}.json?_shape=array&_size=max").json()
    assert len(rows) == min(total, serve.SETTINGS["max_returned_rows"])
    page = site.get(f"/tracker/{table}.csv?_size=5")
    assert page.status_code == 200
    assert len(list(csv.reader(io.StringIO(page.text)))) == min(total, 5) + 1
    full = site.get(f"/tracker/{table}.csv?_stream=on&_size=5")
    assert full.status_code == 200
    assert len(list(csv.reader(io.StringIO(full.text)))) == total + 1


def test_canned_query_csv(site):
    response = site.get("/tracker/country_figures.csv?country=KHM&metric=area_released")
    records = list(csv.DictReader(io.StringIO(response.text)))
    assert records and {r["metric"] for r in records} == {"area_released"}
    assert all(r["citation"].endswith(").") for r in records)


def test_whole_database_download(site):
    response = site.get("/tracker.db")
    assert response.status_code == 200
    assert response.content[:15] == b"SQLite format 3"


# -- row pages, links, citations -------------------------------------------------------------


def test_figure_row_page_has_source_link_and_citation(site):
    figure = site.sql(
        "select f.id, f.page, d.url from figures f join documents d on d.id = f.document_id "
        "where d.content_type = 'application/pdf' and f.page > 1 limit 1"
    )[0]
    html = site.get(f"/tracker/figures/{figure['id']}").text
    link = f"{figure['url']}#page={figure['page']}"
    assert f'<a href="{link}">{link}</a>' in html
    citation = re.search(r'<textarea id="([^"]+)"[^>]*readonly>([^<]+)</textarea>', html)
    assert citation, "no citation field"
    assert f'data-copy="{citation.group(1)}"' in html and "Copy citation" in html
    text = citation.group(2)
    assert text.startswith("Mine Action Review, ")
    assert f", p. {figure['page']}. {link} (retrieved " in text


def test_archived_copy_is_cited_as_such(site):
    row = site.sql(
        "select c.citation, c.source_link, d.final_url from citations c "
        "join documents d on d.id = c.document_id where d.source = 'wayback' limit 1"
    )[0]
    assert row["source_link"] == row["final_url"]
    assert "Archived by the Internet Archive on " in row["citation"]
    assert not row["citation"].startswith("Internet Archive")


def test_table_pages_have_titles_headings_and_column_headers(site):
    for table, meta in DB_META["tables"].items():
        if meta.get("hidden"):
            continue
        html = site.get(f"/tracker/{table}").text
        title = meta.get("title", table)
        count = re.search(rf"<title>{re.escape(title)}: ([\d,]+) rows?", html)
        assert count, table
        assert html.count("<h1") == 1
        if count.group(1) != "0":
            assert re.search(r'<th [^>]*class="col-[^>]*scope="col"', html), table


# -- metadata describes everything -----------------------------------------------------------


def test_metadata_describes_every_table_and_column(sample_db):
    db = sqlite_utils.Database(sample_db)
    fts = {name for table in db.tables if (name := table.detect_fts())}
    shadow = re.compile("|".join(re.escape(n) + "_" for n in fts) or "^$")
    missing = []
    for item in [*db.tables, *db.views]:
        if item.name in fts or shadow.match(item.name) or item.name.startswith("sqlite_"):
            continue
        meta = DB_META["tables"].get(item.name)
        if meta is None:
            missing.append(item.name)
            continue
        assert meta.get("description") or meta.get("description_html"), item.name
        described = meta.get("columns", {})
        missing += [f"{item.name}.{c.name}" for c in item.columns if c.name not in described]
    assert not missing, f"describe these in metadata.yml: {missing}"


def test_plugin_settings_name_real_tables(sample_db):
    names = set(sqlite_utils.Database(sample_db).table_names()) | set(
        sqlite_utils.Database(sample_db).view_names()
    )
    settings = METADATA["plugins"]["tracker"]
    for table in [*settings["row_panels"], *settings["links"].values()]:
        assert table.startswith("@") or table in names, table


# -- follow-up and discrepancies, on a database written by hand --------------------------------
#
# Cambodia, Clearing Cluster Munition Remnants 2023 and 2024 (and Clearing the Mines 2024):
# the standards recommendation of 2023 is implemented by 2024 (evidence in the 2024 page),
# the survey recommendation is new in 2024; 2022's land release is revised from 4.1 to 4.5 km².

DOCS = [
    ("d2023", "mar-cmr", 2023, "https://example.org/country/cambodia", "text/html"),
    ("d2024", "mar-cmr", 2024, "https://example.org/KHM_2024.pdf", "application/pdf"),
    ("m2024", "mar-mines", 2024, "https://example.org/country/cambodia/mines", "text/html"),
]
EVIDENCE = "In March 2024, CMAA formally approved revised national mine action standards."
FIGURES = [
    # the 2024 edition revises 2022's land release: a discrepancy
    ("a", "d2023", "area_released", None, 4.1, "Some 4.1km2 was released in 2022."),
    ("b", "d2024", "area_released", None, 4.5, "In 2022, 4.5km2 was released."),
    # the same value twice: no discrepancy
    ("c", "d2023", "submunitions_destroyed", None, 3329, "3,329 submunitions destroyed."),
    ("d", "d2024", "submunitions_destroyed", None, 3329, "3,329 were destroyed."),
    # another series measures another thing: no discrepancy
    ("e", "m2024", "area_released", None, 9.0, "9km2 of mined area released in 2022."),
    # another criterion is another figure: no discrepancy
    ("f", "d2023", "performance_score", "overall", 6.4, "Performance score 6.4"),
    ("g", "d2024", "performance_score", "environment", 5.0, "Environment 5"),
]


def hand_written_db(path: Path) -> Path:
    db = sqlite_utils.Database(path)
    store.create_schema(db)
    db["countries"].insert({"code": "KHM", "name": "Cambodia", "other_area": 0})
    db["documents"].insert_all(
        {"id": doc, "series": series, "report_year": year, "url": url, "content_type": ctype,
         "country_code": "KHM", "source": "mine-action-review",
         "publisher": "Mine Action Review", "fetched_at": f"{year}-10-01T09:00:00Z"}
        for doc, series, year, url, ctype in DOCS
    )  # fmt: skip
    db["document_pages"].insert(
        {"id": "d2024-p3", "document_id": "d2024", "page": 3, "text": f"Text. {EVIDENCE} More."}
    )
    series_year = {doc: (series, year) for doc, series, year, *_ in DOCS}
    db["figures"].insert_all(
        {"id": fid, "document_id": doc, "country_code": "KHM", "series": series_year[doc][0],
         "report_year": series_year[doc][1], "metric": metric, "criterion": criterion,
         "value": value, "unit": "km2", "year": 2022, "sentence": sentence, "page": 3}
        for fid, doc, metric, criterion, value, sentence in FIGURES
    )  # fmt: skip
    db["developments"].insert(
        {"id": "dev1", "document_id": "d2024", "country_code": "KHM", "series": "mar-cmr",
         "report_year": 2024, "event": "standards_adopted", "topic": "standards",
         "stage": "completed", "year": 2024, "sentence": EVIDENCE, "page": 3}
    )  # fmt: skip
    db["recommendations"].insert_all(
        {"id": rid, "document_id": doc, "country_code": "KHM", "series": "mar-cmr",
         "report_year": year, "text": text, "primary_topic": topic, "page": 1, "thread_id": tid}
        for rid, doc, year, topic, tid, text in [
            ("r1", "d2023", 2023, "standards", "t1", "CMAA should revise the standards."),
            ("r2", "d2024", 2024, "survey_baseline", "t2", "CMAA should survey the north."),
        ]
    )  # fmt: skip
    db["threads"].insert_all(
        [
            {"id": "t1", "country_code": "KHM", "series": "mar-cmr", "topic": "standards",
             "title": "CMAA should revise the standards.", "first_year": 2023,
             "last_year": 2023, "times_repeated": 0, "status": "implemented",
             "status_year": 2024, "evidence_id": "dev1"},
            {"id": "t2", "country_code": "KHM", "series": "mar-cmr",
             "topic": "survey_baseline", "title": "CMAA should survey the north.",
             "first_year": 2024, "last_year": 2024, "times_repeated": 0, "status": "new",
             "status_year": 2024},
        ]
    )  # fmt: skip
    db["thread_status"].insert_all(
        [
            {"thread_id": "t1", "report_year": 2023, "status": "new", "recommendation_id": "r1"},
            {"thread_id": "t1", "report_year": 2024, "status": "implemented",
             "evidence_id": "dev1"},
            {"thread_id": "t2", "report_year": 2024, "status": "new", "recommendation_id": "r2"},
        ]
    )  # fmt: skip
    store.finish(db)
    db.close()
    return path


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    site = Site(hand_written_db(tmp_path_factory.mktemp("hand") / "tracker.db"))
    yield site
    site.close()


def test_discrepancies_side_by_side(hand):
    rows = hand.sql("select * from discrepancies")
    assert len(rows) == 1
    row = rows[0]
    assert (row["country"], row["year"], row["metric"]) == ("Cambodia", 2022, "area_released")
    assert (row["value_a"], row["value_b"], row["difference"]) == (4.1, 4.5, 0.4)
    report = "Clearing Cluster Munition Remnants 2023: Cambodia"
    assert row["source_a"] == f"Mine Action Review, {report}"
    assert row["link_a"] == "https://example.org/country/cambodia"
    assert row["link_b"] == "https://example.org/KHM_2024.pdf#page=3"
    assert (row["figure_a"], row["figure_b"]) == ("a", "b")
    data = hand.get("/tracker/country_discrepancies.json?country=Cambodia&_shape=array")
    assert [r["value_b"] for r in data.json()] == [4.5]
    html = hand.get("/tracker/discrepancies").text
    assert 'href="/tracker/figures/a"' in html and 'href="/tracker/figures/b"' in html


def test_implemented_recommendations_carry_their_evidence(hand):
    rows = hand.get("/tracker/implemented_recommendations.json?country=KHM&_shape=array").json()
    assert [(r["recommendation"], r["implemented_in"]) for r in rows] == [
        ("CMAA should revise the standards.", 2024)
    ]
    assert rows[0]["evidence"] == EVIDENCE
    assert rows[0]["source_link"] == "https://example.org/KHM_2024.pdf#page=3"
    page = hand.sql("select text from document_pages where document_id = 'd2024'")[0]["text"]
    assert rows[0]["evidence"] in page


def test_country_dashboard_shows_implemented_with_evidence(hand):
    from datasette_dashboards import replace_opts_in_query

    sql = replace_opts_in_query(DASHBOARDS["country"]["charts"]["implemented"]["query"], {})
    rows = hand.get("/tracker.json?" + urlencode({"sql": sql, "_shape": "array"})).json()
    assert rows[0]["Evidence"] == EVIDENCE
    assert 'href="https://example.org/KHM_2024.pdf#page=3"' in rows[0]["Source"]


def test_status_feed_lists_only_changes(hand):
    text = hand.get("/tracker/feed_status_changes.atom?country=KHM").text
    entries = parse_feed(text)
    assert [(e["id"], e["title"], e["link"]) for e in entries] == [
        (
            "tag:mine-action-tracker,2024:status/t1/2024",
            "Cambodia: standards recommendation implemented (2024 edition, was new)",
            "/tracker/threads/t1",
        )
    ]
    assert EVIDENCE in text


def test_new_recommendations_feed(hand):
    entries = parse_feed(hand.get("/tracker/feed_new_recommendations.atom").text)
    assert [e["id"].rsplit("/", 1)[1] for e in entries] == ["t2", "t1"]
    assert entries[0]["updated"].startswith("2024-10-01")


def test_views_link_to_threads_evidence_and_documents(hand):
    html = hand.get("/tracker/recommendation_status?status=implemented").text
    for href in ("/tracker/threads/t1", "/tracker/developments/dev1", "/tracker/documents/d2024"):
        assert f'href="{href}"' in html, href


def test_thread_row_page_shows_its_history(hand):
    html = hand.get("/tracker/threads/t1").text
    assert "Status in each report year" in html
    assert "<td>2023</td>" in html and "<td>new</td>" in html
    assert "<td>2024</td>" in html and "<td>implemented</td>" in html
    assert f"<td>{EVIDENCE}</td>" in html


# -- publishing docs -------------------------------------------------------------------------


def test_publishing_docs_show_the_exact_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    flat = " ".join(text.replace("\\\n", " ").split())
    for command in (serve.publish_args("cloudrun"), serve.publish_args("package")):
        assert shlex.join(command) in flat, command[:3]
    assert shlex.join(serve.serve_args()) in flat
    assert "cp tracker/datasette_plugin.py site-plugins/" in flat
    for name in ("home", "country", "figure", "search"):
        assert f"screenshots/{name}.png" in text


def test_plugin_file_loads_on_its_own():
    """`datasette publish --plugins-dir` ships tracker/datasette_plugin.py alone."""
    import importlib.util

    source = serve.PLUGIN.read_text(encoding="utf-8")
    assert "from ." not in source and "import tracker" not in source
    spec = importlib.util.spec_from_file_location("datasette_plugin_alone", serve.PLUGIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for hook in ("render_cell", "extra_template_vars", "prepare_connection"):
        assert hasattr(getattr(module, hook), "datasette_impl"), hook


def test_publish_args_carry_every_setting():
    args = serve.publish_args("cloudrun")
    extra = shlex.split(args[args.index("--extra-options") + 1])
    settings = dict(zip(extra[1::3], extra[2::3], strict=True))
    assert set(settings) == set(serve.SETTINGS)
    assert settings["suggest_facets"] == "off"
    assert json.dumps(args)  # plain strings only


def test_serve_picks_up_a_rebuilt_database_and_lets_the_old_file_go(tmp_path, sample_db):
    """A build renames a new file into place; `tracker serve` (immutable) serves it from the
    next request, with no restart, and closes the file it had open."""
    from tests.net import free_port, wait_until_serving

    served = tmp_path / "tracker.db"
    shutil.copyfile(sample_db, served)
    port = free_port()
    proc = serve.start(str(served), port=port)
    url = f"http://127.0.0.1:{port}/tracker.json?" + urlencode(
        {"sql": "select count(*) as n from builds", "_shape": "array"}
    )
    try:
        before = wait_until_serving(url, proc).json()[0]["n"]
        rebuilt = tmp_path / ".tracker.db.new.tmp"
        shutil.copyfile(sample_db, rebuilt)
        sqlite_utils.Database(rebuilt)["builds"].insert({"id": 10**6, "started": "later"})
        os.replace(rebuilt, served)
        deadline = time.monotonic() + 15
        while (count := httpx.get(url, timeout=5).json()[0]["n"]) == before:
            assert time.monotonic() < deadline, "the rebuilt database was never served"
            time.sleep(0.3)
        assert count == before + 1
        # the replaced file is closed once the requests the old server had taken are answered
        while f"{served} (deleted)" in (fds := _open_files(proc.pid)):
            assert time.monotonic() < deadline, fds
            time.sleep(0.3)
            httpx.get(url, timeout=5)
        assert httpx.get(f"http://127.0.0.1:{port}/tracker/figures.json?_size=1").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _open_files(pid: int) -> list[str]:
    out = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            out.append(os.readlink(fd))
        except FileNotFoundError:  # closed while listing
            continue
    return out
