"""Render the sample site: country pages shaped like Mine Action Review's, a home page, and
each page's report chapter as a PDF.

Every page carries a visible SAMPLE DATA banner. Rendering is a pure function of
``content.yml``: the same country, edition and tab always give the same bytes.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from . import pdf
from .content import Content, Page, load

__all__ = ["render_about", "render_home", "render_page", "render_pdf"]


def _esc(text: str) -> str:
    return escape(text, quote=False)


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _document(title: str, main: list[str], content: Content) -> str:
    """A whole HTML page: site chrome around ``main``'s lines."""
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        "<style>",
        "body{font-family:sans-serif;margin:0;color:#222}",
        "main{max-width:52rem;margin:0 auto;padding:1rem}",
        ".sample-notice{background:#fff3cd;border:2px solid #c90;padding:.75rem;font-weight:bold}",
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem}",
        "</style>",
        "</head>",
        "<body>",
        '<header class="site-header">',
        f'<a class="logo" href="/">{_esc(content.site_name)}</a>',
        '<nav class="main-menu"><ul>',
        '<li><a href="/">Home</a></li>',
        '<li><a href="/">Countries</a></li>',
        '<li><a href="/">Reports</a></li>',
        '<li><a href="/about-us">About Us</a></li>',
        "</ul></nav>",
        "</header>",
        "<main>",
        '<div class="sample-notice" role="note">',
        f"<p>{_esc(content.notice)}.</p>",
        "</div>",
        *main,
        "</main>",
        '<footer class="site-footer">',
        "<ul>",
        '<li><a href="/about-us">About Us</a></li>',
        '<li><a href="/contact-us">Contact Us</a></li>',
        '<li><a href="/admin/">Editors</a></li>',
        "</ul>",
        "<p>Sample site bundled with the Mine Action Recommendation Tracker. All content is"
        " test data.</p>",
        "</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=256)
def render_page(country: str, edition: int, tab: str) -> str:
    """The HTML of a country page (``tab`` is a series: 'mar-cmr' or 'mar-mines')."""
    content = load()
    page = content.page(country, edition, tab)
    name = page.country.name
    main = [
        f"<h1>{_esc(name)}</h1>",
        f'<p class="country-summary">{_esc(page.country.summary)}</p>',
        '<ul class="country-tabs">',
    ]
    for report in content.reports.values():
        href = f"/country/{page.country.slug}{report.suffix}"
        current = ' class="active"' if report.series == page.series else ""
        main.append(f'<li{current}><a href="{_attr(href)}">{_esc(report.tab)}</a></li>')
    main += [
        "</ul>",
        '<ul class="key-facts">',
        f"<li>{_esc(page.deadline_label)}<br><strong>{_esc(page.deadline)}</strong></li>",
        "</ul>",
        "<h2>Performance</h2>",
        f'<p class="rating">{_esc(page.rating)}</p>',
        '<table class="performance">',
        "<thead><tr><th>Performance Criterion</th><th>Score</th></tr></thead>",
        "<tbody>",
    ]
    for label, score in page.score_rows():
        main.append(f"<tr><td>{_esc(label)}</td><td>{score}</td></tr>")
    main += ["</tbody>", "</table>", "<h2>Key Developments</h2>"]
    main += [f"<p>{_esc(paragraph)}</p>" for paragraph in page.developments]
    main += ["<h2>Recommendations for Action</h2>", '<ul class="recommendations">']
    main += [f"<li>{_esc(rec.text)}</li>" for rec in page.recommendations]
    report_name = f'"{page.report_title}" report for {name}'
    main += [
        "</ul>",
        f"<h3>Download the full {_esc(report_name)}</h3>",
        f'<p><a href="{_attr(page.pdf_path)}">Click here to download the full'
        f" {_esc(report_name)}.</a></p>",
    ]
    return _document(f"{name} | {content.site_name}", main, content)


@lru_cache(maxsize=16)
def render_home(edition: int) -> str:
    """The home page as it looked when ``edition`` was current: links to every country page."""
    content = load()
    titles = " and ".join(f'"{r.title} {edition}"' for r in content.reports.values())
    main = [
        f"<h1>{_esc(content.site_name)}</h1>",
        "<p>A small test site shaped like Mine Action Review's country pages. Its current"
        f" reports are {_esc(titles)}.</p>",
        "<h2>Countries</h2>",
        '<ul class="country-list">',
    ]
    for country in content.countries:
        links = " | ".join(
            f'<a href="/country/{_attr(country.slug)}{r.suffix}">{_esc(r.tab)}</a>'
            for r in content.reports.values()
        )
        main.append(f"<li>{_esc(country.name)}: {links}</li>")
    main.append("</ul>")
    return _document(content.site_name, main, content)


@lru_cache(maxsize=1)
def render_about() -> str:
    content = load()
    main = [
        "<h1>About Us</h1>",
        "<p>This site exists to test the Mine Action Recommendation Tracker without touching a"
        " real publisher. Its three countries, three editions and two report series are"
        " invented sample data in the shape of Mine Action Review country pages.</p>",
    ]
    return _document(f"About Us | {content.site_name}", main, content)


def report_blocks(page: Page, content: Content) -> list[pdf.Block]:
    """The report chapter of a page as PDF blocks (the same text as the HTML page)."""
    P, Row = pdf.Paragraph, pdf.Row
    blocks: list[pdf.Block] = [
        P(page.report_title.upper(), "title"),
        P(f"{content.notice}.", "notice"),
        P(page.country.name.upper(), "title"),
        P(page.country.summary),
        P(f"{page.deadline_label}: {page.deadline}"),
        P("KEY DEVELOPMENTS", "heading"),
        *(P(paragraph) for paragraph in page.developments),
        P("RECOMMENDATIONS FOR ACTION", "heading"),
        *(P(rec.text, "bullet") for rec in page.recommendations),
        pdf.PageBreak(),
        P("ASSESSMENT OF NATIONAL PROGRAMME PERFORMANCE", "heading"),
    ]
    # Like the printed reports, the table shows the previous edition's scores beside this one's.
    years = [page.edition - 1]
    previous = content.pages.get((page.country.slug, page.edition - 1, page.series))
    if previous is not None:
        years.append(previous.edition - 1)
    blocks.append(Row("CRITERION", tuple(f"SCORE {year}" for year in years), bold=True))
    rows = page.score_rows()
    old_rows = previous.score_rows() if previous is not None else [None] * len(rows)
    for (label, score), old in zip(rows[:-1], old_rows[:-1], strict=True):
        blocks.append(Row(label, (score,) if old is None else (score, old[1])))
    overall = (page.overall,) if previous is None else (page.overall, previous.overall)
    blocks.append(Row(f"PERFORMANCE SCORE: {page.rating.upper()}", overall, bold=True))
    blocks += [
        P("ABOUT THIS SAMPLE", "heading"),
        P(
            "This chapter was generated by the sample site of the Mine Action Recommendation"
            " Tracker. Its wording is the project's own and its figures, scores and dates are"
            " test data: do not cite them."
        ),
    ]
    return blocks


@lru_cache(maxsize=64)
def render_pdf(country: str, edition: int, tab: str) -> bytes:
    """The report chapter behind a country page, as PDF bytes."""
    content = load()
    page = content.page(country, edition, tab)
    info = {
        "Title": f"{page.report_title}: {page.country.name} (SAMPLE DATA)",
        "Author": "Mine Action Recommendation Tracker (sample data)",
        "Subject": content.notice,
        "Creator": "tracker.sample_site",
        "Producer": "tracker.sample_site.pdf",
    }
    return pdf.build_pdf(report_blocks(page, content), info)
