"""The published site in a real browser: `tracker serve` on the sample site's database, driven
by Playwright with Debian's Chromium (installed by .ci/run; never `playwright install`).

Each test saves a screenshot to screenshots/ (the README shows them)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from tests.site_fixture import sample_database
from tracker import serve

from .net import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DASHBOARDS = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))["plugins"][
    "datasette-dashboards"
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does it)",
    ),
]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    return sample_database(tmp_path_factory.mktemp("published"))


@pytest.fixture(scope="module")
def server(sample_db):
    """`tracker serve --db ... --port N` in a child process; yields its base URL."""
    port = free_port()
    proc = serve.start(str(sample_db), "127.0.0.1", port)
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(url + "/", proc)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Page:
    """A page that records console errors and requests to other hosts."""

    def __init__(self, browser, server: str, width: int = 1280) -> None:
        self.server = server
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.elsewhere: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "request",
            lambda r: None if r.url.startswith(server) else self.elsewhere.append(r.url),
        )

    def open(self, path: str):
        self.page.goto(self.server + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def check_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.elsewhere == [], f"requests off the site: {self.elsewhere}"

    def fits_width(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    def screenshot(self, name: str, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def page(browser, server):
    page = Page(browser, server)
    yield page
    page.close()


def test_home_page(page):
    tab = page.open("/")
    assert tab.title() == "Mine Action Recommendation Tracker"
    assert tab.locator("h1").inner_text() == "Mine Action Recommendation Tracker"
    assert tab.locator("html").get_attribute("lang") == "en"
    assert tab.get_by_role("heading", name="Start with a question").is_visible()
    assert "Last crawl finished" in tab.locator(".tracker-facts").inner_text()
    assert tab.get_by_role("link", name="A country page").get_attribute("href") == (
        "/-/dashboards/country"
    )
    page.check_clean()
    page.screenshot("home")


def test_country_dashboard_draws_its_charts(page):
    tab = page.open("/-/dashboards/country?country=Cambodia")
    assert tab.title() == "Country page"
    charts = DASHBOARDS["country"]["charts"]
    for slug, chart in charts.items():
        card = tab.locator(f"#chart-{slug}")
        if chart["library"] == "vega-lite":
            mark = (
                "g.mark-line path"
                if chart["display"]["mark"]["type"] == "line"
                else ("g.mark-rect path")
            )
            card.locator(f"svg.marks {mark}").first.wait_for(timeout=15000)
            assert card.locator(f"svg.marks {mark}").count() > 0, slug
            # screen readers: the chart is labelled, each mark reads out its values
            labelled = card.locator('[role="graphics-document"]')
            assert labelled.get_attribute("aria-label") == chart["title"]
            assert card.locator(f"svg.marks {mark}[aria-label]").count() > 0
        elif chart["library"] == "table":
            card.locator("table tbody tr").first.wait_for(timeout=15000)
            assert card.locator("th").count() > 0, slug
        elif chart["library"] == "metric":
            card.locator("p").first.wait_for(timeout=15000)
            assert card.locator("p").first.inner_text().strip(), slug
    assert tab.locator("#chart-open table tbody tr a").count() > 0
    page.check_clean()
    page.screenshot("country")


def test_status_dashboard_draws_its_charts(page):
    tab = page.open("/-/dashboards/status")
    for slug in ("by_year", "by_country"):
        tab.locator(f"#chart-{slug} svg g.mark-rect path").first.wait_for(timeout=15000)
    page.check_clean()
    page.screenshot("status")


def test_phone_width(browser, server):
    phone = Page(browser, server, width=390)
    try:
        for path in (
            "/",
            "/tracker/recommendation_status",
            "/-/dashboards/country?country=Cambodia",
        ):
            tab = phone.open(path)
            if "dashboards" in path:
                tab.locator("#chart-land_released svg").first.wait_for(timeout=15000)
            assert phone.fits_width(), f"{path} is wider than a phone"
        phone.screenshot("phone", full_page=False)
        phone.check_clean()
    finally:
        phone.close()


def test_figure_row_page_has_source_link_and_citation(page, sample_db):
    conn = sqlite3.connect(sample_db)
    figure_id, page_number, url = conn.execute(
        "select f.id, f.page, d.url from figures f join documents d on d.id = f.document_id "
        "where d.content_type = 'application/pdf' "
        "order by f.metric like 'area%' desc, f.page desc, f.id limit 1"
    ).fetchone()
    tab = page.open(f"/tracker/figures/{figure_id}")
    link = f"{url}#page={page_number}"
    source = tab.get_by_role("link", name=link)
    assert source.is_visible() and source.get_attribute("href") == link
    citation = tab.get_by_role("textbox", name="Citation")
    text = citation.input_value()
    assert text.startswith("Mine Action Review, ") and f"p. {page_number}. {link}" in text
    assert "(retrieved " in text
    page.screenshot("figure")
    tab.get_by_role("button", name="Copy citation").click()
    # the clipboard write resolves asynchronously: wait for the label to change
    expect(tab.locator("button[data-copy]")).to_have_text("Copied")
    page.check_clean()


def test_search(page):
    tab = page.open("/tracker/search")
    tab.locator('input[name="q"]').fill("national standards")
    tab.get_by_role("button", name="Run SQL").click()
    tab.wait_for_load_state("networkidle")
    assert tab.title() == "Search recommendations, figures and documents"
    rows = tab.locator("table.rows-and-columns tbody tr")
    assert rows.count() > 0
    kinds = set(tab.locator("table.rows-and-columns tbody td.col-kind").all_inner_texts())
    assert {"recommendations", "document_pages"} <= {kind.strip() for kind in kinds}
    first = rows.first.locator("td.col-item_id a")
    href = first.get_attribute("href")
    first.click()
    tab.wait_for_load_state("networkidle")
    assert tab.url.endswith(href)
    page.check_clean()
    tab.go_back()
    tab.wait_for_load_state("networkidle")
    page.screenshot("search", full_page=False)
