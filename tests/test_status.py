"""`tracker status` and the real follow-up chains of ../shared/corpus (issue 6).

The database is built from the real documents, each added with its gold metadata (see
tests/shared_corpus.py). Each chain is pinned with its per-year statuses and evidence.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from tests.shared_corpus import shared_db  # noqa: F401  (fixture)
from tracker.cli import cli
from tracker.report import country_threads, excerpt, format_threads

pytestmark = pytest.mark.shared


def _thread(threads, series, words):
    found = [
        t
        for t in threads
        if t["series"] == series
        and any(words.lower() in r["text"].lower() for r in t["recommendations"])
    ]
    assert len(found) == 1, [(t["topic"], t["recommendations"]) for t in found]
    return found[0]


def _years(thread):
    return [r["report_year"] for r in thread["recommendations"]]


def _per_year(db, country, series, words):
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "select ts.report_year, ts.status from thread_status ts "
            "join threads t on t.id = ts.thread_id "
            "where t.country_code = ? and t.series = ? and t.id in (select thread_id from "
            "recommendations where lower(text) like ?) order by ts.report_year",
            [country, series, f"%{words.lower()}%"],
        ).fetchall()
    finally:
        conn.close()
    return rows


def test_cambodia_national_strategy_asked_twice_then_launched_in_may_2018(shared_db):  # noqa: F811
    t = _thread(country_threads(shared_db, "Cambodia"), "mar-mines", "strategy detailing")
    assert (t["topic"], t["first_year"], t["last_year"], t["times_repeated"]) == (
        "strategy",
        2016,
        2017,
        1,
    )
    assert _years(t) == [2016, 2017]
    assert t["status"] == "implemented" and not t["needs_review"]
    ev = t["evidence"]
    assert "officially launched in May 2018" in ev["sentence"]
    assert (ev["report_year"], ev["page"]) == (2018, 1)
    assert ev["url"] == "http://www.mineactionreview.org/country/cambodia/anti-personnel-mines"
    per_year = _per_year(shared_db, "KHM", "mar-mines", "strategy detailing")
    assert per_year[0] == (2016, "new") and per_year[-1] == (2018, "implemented")
    assert per_year[1][0] == 2017 and per_year[1][1] in ("repeated", "in_progress")


def test_cambodia_ccm_accession_repeated_every_edition_and_still_open(shared_db):  # noqa: F811
    t = _thread(country_threads(shared_db, "KHM"), "mar-cmr", "Cluster Munitions (CCM)")
    assert t["topic"] == "ccm_accession"
    assert _years(t) == [2016, 2018, 2020]  # every mar-cmr edition in the corpus
    assert (t["times_repeated"], t["status"], t["evidence"]) == (2, "repeated", None)
    assert _per_year(shared_db, "KHM", "mar-cmr", "Cluster Munitions (CCM)") == [
        (2016, "new"),
        (2018, "repeated"),
        (2020, "repeated"),
    ]


def test_cambodia_treaty_status_per_year(shared_db):  # noqa: F811
    conn = sqlite3.connect(shared_db)
    rows = conn.execute(
        "select report_year, ccm_status, apmbc_status from country_year_summary "
        "where country_code = 'KHM' order by report_year"
    ).fetchall()
    assert rows == [
        (2016, "not_party", "state_party"),
        (2017, None, "state_party"),
        (2018, "not_party", "state_party"),
        (2020, "not_party", None),
    ]


def test_afghanistan_mine_action_law_repeated_three_editions(shared_db):  # noqa: F811
    t = _thread(country_threads(shared_db, "Afghanistan"), "mar-mines", "mine action law")
    assert t["topic"] == "national_authority"
    assert _years(t) == [2016, 2017, 2018] and t["times_repeated"] == 2
    assert all("mine action law" in r["text"] for r in t["recommendations"])
    # the 2018 edition reports the programme's handover to national ownership: same topic,
    # but no answer to "adopt a law"; the 2020 edition no longer asks, with no evidence
    assert _per_year(shared_db, "AFG", "mar-mines", "mine action law") == [
        (2016, "new"),
        (2017, "repeated"),
        (2018, "repeated"),
        (2020, "dropped"),
    ]


def test_lebanon_revised_nmas_implemented_in_march_2018(shared_db):  # noqa: F811
    t = _thread(country_threads(shared_db, "LBN"), "mar-cmr", "revised National Mine Action")
    assert _years(t) == [2016, 2017]
    assert t["status"] == "implemented"
    ev = t["evidence"]
    assert ev["sentence"] == "National Mine Action Standards (NMAS) revised version, March 2018"
    assert ev["report_year"] == 2018  # from the Monitor's 2018 profile: across publishers
    assert ev["url"] == "http://the-monitor.org/en-gb/reports/2018/lebanon/mine-action.aspx"
    per_year = _per_year(shared_db, "LBN", "mar-cmr", "revised National Mine Action")
    assert per_year[0] == (2016, "new") and per_year[2] == (2018, "implemented")
    # 2017: asked again; the edition says the revision is under way (partial action)
    assert per_year[1][0] == 2017 and per_year[1][1] in ("repeated", "in_progress")


def test_zimbabwe_resource_mobilisation_strategy_implemented_in_january_2023(shared_db):  # noqa: F811
    t = _thread(country_threads(shared_db, "Zimbabwe"), "monitor", "resource mobilization plan")
    assert t["topic"] == "funding" and _years(t) == [2015, 2016]
    assert t["status"] == "implemented" and not t["needs_review"]
    ev = t["evidence"]
    assert "Resource Mobilisation Strategy in January 2023" in ev["sentence"]
    assert ev["report_year"] == 2023
    assert _per_year(shared_db, "ZWE", "monitor", "resource mobilization plan") == [
        (2015, "new"),
        (2016, "repeated"),
        (2023, "implemented"),
    ]


def test_zimbabwe_funding_ask_goes_on_with_the_strategy_as_partial_action(shared_db):  # noqa: F811
    t = _thread(country_threads(shared_db, "ZWE"), "mar-mines", "secure additional")
    assert _years(t)[:2] == [2020, 2023]
    per_year = dict(_per_year(shared_db, "ZWE", "mar-mines", "secure additional"))
    assert per_year[2020] == "new" and per_year[2023] == "in_progress"


def test_zimbabwe_gender_and_diversity_policy_repeated(shared_db):  # noqa: F811
    t = _thread(country_threads(shared_db, "ZWE"), "mar-mines", "gender and diversity")
    assert t["topic"] == "gender_diversity"
    assert _years(t) == [2020, 2023, 2024]  # 2024: a lone "-" line, then unbulleted items
    assert (t["times_repeated"], t["status"], t["evidence"]) == (2, "repeated", None)
    assert _per_year(shared_db, "ZWE", "mar-mines", "gender and diversity") == [
        (2020, "new"),
        (2023, "repeated"),
        (2024, "repeated"),
    ]


def test_every_evidence_sentence_is_on_its_page(shared_db):  # noqa: F811
    conn = sqlite3.connect(shared_db)
    rows = conn.execute(
        "select ts.status, d.sentence, p.text from thread_status ts "
        "join developments d on d.id = ts.evidence_id "
        "join document_pages p on p.document_id = d.document_id and p.page = d.page"
    ).fetchall()
    assert {r[0] for r in rows} >= {"implemented"}
    for status, sentence, page_text in rows:
        assert " ".join(sentence.split()) in " ".join(page_text.split()), (status, sentence)
    implemented = conn.execute(
        "select count(*) from thread_status where status = 'implemented' and evidence_id is null"
    ).fetchone()[0]
    assert implemented == 0


# -- the command -------------------------------------------------------------------------------


def test_status_json_is_a_list_of_threads_in_the_issue_shape(shared_db):  # noqa: F811
    result = CliRunner().invoke(cli, ["status", "KHM", "--db", str(shared_db), "--json"])
    assert result.exit_code == 0, result.output
    threads = json.loads(result.output)
    assert threads == country_threads(shared_db, "Cambodia")
    keys = {
        "topic",
        "series",
        "first_year",
        "last_year",
        "times_repeated",
        "status",
        "needs_review",
        "evidence",
        "recommendations",
    }
    for t in threads:
        assert set(t) == keys
        assert t["evidence"] is None or set(t["evidence"]) == {
            "sentence",
            "url",
            "page",
            "report_year",
        }
        assert all(set(r) == {"report_year", "text"} for r in t["recommendations"])
        assert len(t["recommendations"]) == t["times_repeated"] + 1


@pytest.mark.parametrize("country", ["Cambodia", "KHM", "KH", "cambodia"])
def test_country_is_a_name_alias_or_iso_code(shared_db, country):  # noqa: F811
    assert country_threads(shared_db, country) == country_threads(shared_db, "KHM")


def test_status_prints_a_table(shared_db):  # noqa: F811
    result = CliRunner().invoke(cli, ["status", "Lao PDR", "--db", str(shared_db)])
    assert (
        result.exit_code == 0 and result.output == "No recommendation threads for this country.\n"
    )
    result = CliRunner().invoke(cli, ["status", "Cambodia", "--db", str(shared_db)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == [
        "topic",
        "series",
        "first",
        "asked",
        "repeated",
        "status",
        "evidence",
    ]
    strategy = [ln for ln in lines if ln.split()[:4] == ["strategy", "mar-mines", "2016", "1"]]
    assert len(strategy) == 1
    assert strategy[0].split()[4] == "implemented"
    # the long evidence sentence is shown around its date: what happened, and when
    assert "officially launched in May 2018" in strategy[0]
    assert strategy[0].endswith("(2018, p.1)")


def test_unknown_country_and_missing_database_are_errors(shared_db, tmp_path):  # noqa: F811
    result = CliRunner().invoke(cli, ["status", "Narnia", "--db", str(shared_db)])
    assert result.exit_code == 1
    assert result.output == "Error: Narnia: unknown country (give a name, alias or ISO code)\n"
    missing = tmp_path / "none.db"
    result = CliRunner().invoke(cli, ["status", "KHM", "--db", str(missing)])
    assert result.exit_code == 1
    assert result.output == f"Error: {missing}: database not found (run `tracker build` first)\n"
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table x (y)").connection.close()
    result = CliRunner().invoke(cli, ["status", "KHM", "--db", str(other)])
    assert result.exit_code == 1
    assert result.output == f"Error: {other}: not a tracker database (no such table: threads)\n"


def test_format_threads_flags_review_and_cuts_long_evidence():
    thread = {
        "topic": "strategy",
        "series": "mar-mines",
        "first_year": 2016,
        "last_year": 2017,
        "times_repeated": 1,
        "status": "implemented",
        "needs_review": True,
        "evidence": {"sentence": "x" * 100, "url": "u", "page": 3, "report_year": 2018},
        "recommendations": [],
    }
    assert format_threads([thread]).splitlines() == [
        "topic     series     first asked  repeated  status                evidence",
        f"strategy  mar-mines  2016         1         implemented (review)  {'x' * 69}\u2026 "
        "(2018, p.3)",
    ]


def test_long_evidence_is_cut_around_its_date_and_between_words():
    late = (
        "That changed at the end of the year when a management shake-up at the national "
        "authority galvanised the preparation of the national strategy, officially launched "
        "in May 2018, and gave new momentum to the programme."
    )
    assert excerpt(late) == (
        "\u2026officially launched in May 2018, and gave new momentum to the\u2026"
    )
    assert excerpt(late, 40) == "\u2026launched in May 2018, and gave new\u2026"
    early = "In March 2018, the authority adopted its revised standards, which set out " * 2
    assert excerpt(early) == (
        "In March 2018, the authority adopted its revised standards, which\u2026"
    )
    assert excerpt("Short, dated 2019.") == "Short, dated 2019."
    for width in range(20, 90, 7):  # never longer than asked, whatever the width
        assert len(excerpt(late, width)) <= width
        assert len(excerpt(early, width)) <= width
