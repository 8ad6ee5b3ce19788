"""SQL views for the common questions (published by Datasette).

Each view answers one question from the issue tracker's users and carries its provenance:
the document, page, link and a citation string. The publisher, report name, link and citation
are SQL fragments shared by the views (a view over a view behind a LEFT JOIN would not be
flattened by SQLite, and would be slow at 100,000 figures).
"""

from __future__ import annotations


def publisher(d: str) -> str:
    """The report's publisher (an archived copy still cites the original publisher)."""
    return f"""case {d}.series when 'mar-cmr' then 'Mine Action Review'
         when 'mar-mines' then 'Mine Action Review'
         when 'monitor' then 'Landmine and Cluster Munition Monitor'
         else {d}.publisher end"""


def report(d: str, country: str) -> str:
    """'Clearing the Mines 2024: Cambodia'."""
    return f"""case {d}.series when 'mar-cmr' then 'Clearing Cluster Munition Remnants'
         when 'mar-mines' then 'Clearing the Mines'
         when 'monitor' then 'Landmine and Cluster Munition Monitor'
         else coalesce({d}.title, 'Document') end
       || coalesce(' ' || {d}.report_year, '') || coalesce(': ' || {country}, '')"""


def link(d: str, page: str) -> str:
    """Where to read it: the archived copy for Wayback versions, `#page=N` for PDFs."""
    return f"""case when {d}.source = 'wayback' then coalesce({d}.final_url, {d}.url)
         else {d}.url end
       || case when {d}.content_type like 'application/pdf%' and {page} is not null
               then '#page=' || {page} else '' end"""


def citation(d: str, page: str, country: str) -> str:
    """Publisher, report, year, page, URL and fetch date, ready to paste."""
    archived = (
        f"'Archived by the Internet Archive on ' || substr({d}.snapshot_time, 1, 4) || '-'"
        f" || substr({d}.snapshot_time, 5, 2) || '-' || substr({d}.snapshot_time, 7, 2) || ': '"
    )
    return f"""{publisher(d)} || ', ' || {report(d, country)}
       || coalesce(', p. ' || {page}, '') || '. '
       || case when {d}.source = 'wayback' and {d}.snapshot_time is not null
               then {archived} else '' end
       || {link(d, page)} || ' (retrieved ' || substr({d}.fetched_at, 1, 10) || ').'"""


VIEWS = {
    "recommendation_status": f"""
select t.country_code, c.name as country, t.series, t.topic, ts.report_year, ts.status,
       t.title, r.text as recommendation, ev.sentence as evidence, t.first_year,
       ts.report_year - t.first_year as years_since_first_asked,
       t.id as thread_id, ts.recommendation_id, ts.evidence_id,
       coalesce(r.document_id, ev.document_id) as document_id,
       coalesce(r.page, ev.page) as page,
       {link("d", "coalesce(r.page, ev.page)")} as source_link,
       ts.needs_review
from thread_status ts
join threads t on t.id = ts.thread_id
left join countries c on c.code = t.country_code
left join recommendations r on r.id = ts.recommendation_id
left join developments ev on ev.id = ts.evidence_id
left join documents d on d.id = coalesce(r.document_id, ev.document_id)
""",
    "figures_cited": f"""
select f.id as figure_id, f.country_code, c.name as country, f.series, f.year, f.metric,
       f.criterion, f.value, f.value_high, f.unit, f.qualifier, f.confidence, f.sentence,
       f.page, f.report_year, {publisher("d")} as publisher, f.document_id,
       {link("d", "f.page")} as source_link,
       {citation("d", "f.page", "c.name")} as citation
from figures f
join documents d on d.id = f.document_id
left join countries c on c.code = f.country_code
""",
    "discrepancies": f"""
select a.country_code, c.name as country, a.year, a.metric, a.criterion, a.unit,
       a.value as value_a, b.value as value_b, round(b.value - a.value, 6) as difference,
       {publisher("da")} || ', ' || {report("da", "c.name")} as source_a,
       {publisher("db")} || ', ' || {report("db", "c.name")} as source_b,
       a.sentence as sentence_a, b.sentence as sentence_b,
       a.page as page_a, b.page as page_b,
       {link("da", "a.page")} as link_a, {link("db", "b.page")} as link_b,
       a.id as figure_a, b.id as figure_b
from figures a
join figures b on b.country_code = a.country_code and b.year = a.year and b.metric = a.metric
  and b.criterion is a.criterion and b.document_id <> a.document_id and b.value <> a.value
join documents da on da.id = a.document_id
join documents db on db.id = b.document_id
left join countries c on c.code = a.country_code
where (a.series = b.series or 'monitor' in (a.series, b.series))
  and (da.report_year < db.report_year
       or (da.report_year = db.report_year and a.document_id < b.document_id))
  and not exists (
    select 1 from figures x where x.document_id = b.document_id
      and x.country_code = a.country_code and x.year = a.year and x.metric = a.metric
      and x.criterion is a.criterion and x.value = a.value)
  and not exists (
    select 1 from figures y where y.document_id = a.document_id
      and y.country_code = b.country_code and y.year = b.year and y.metric = b.metric
      and y.criterion is b.criterion and y.value = b.value)
""",
    "citations": "\nunion all\n".join(
        f"""
select '{table}' as kind, x.id as item_id, x.document_id, x.country_code, x.report_year,
       x.page, x.{text} as sentence, {publisher("d")} as publisher,
       {report("d", "(select name from countries where code = x.country_code)")} as report,
       {link("d", "x.page")} as source_link,
       {citation("d", "x.page", "(select name from countries where code = x.country_code)")}
         as citation
from {table} x join documents d on d.id = x.document_id
"""
        for table, text in (
            ("figures", "sentence"),
            ("recommendations", "text"),
            ("developments", "sentence"),
        )
    ),
}

# Follow-up summaries (tracker/followup.py, tracker/treaty.py): per country and report year.
_TOPIC_COUNTS = """
select t.country_code, ts.report_year, t.topic,
       sum(ts.status in ('new', 'repeated', 'in_progress')) as open,
       sum(ts.status = 'new') as new,
       sum(ts.recommendation_id is not null and ts.status <> 'new') as repeated,
       sum(ts.status = 'in_progress') as in_progress,
       sum(ts.status = 'implemented') as implemented,
       sum(ts.status = 'dropped') as dropped,
       sum(ts.needs_review) as needs_review
from thread_status ts
join threads t on t.id = ts.thread_id
group by t.country_code, ts.report_year, t.topic
"""

VIEWS.update(
    {
        "country_topic_status": f"""
select x.country_code, c.name as country, x.report_year, x.topic, x.open, x.new, x.repeated,
       x.in_progress, x.implemented, x.dropped, x.needs_review
from ({_TOPIC_COUNTS}) x
left join countries c on c.code = x.country_code
""",
        "country_year_summary": f"""
with counts as (
  select country_code, report_year, sum(open) as open, sum(new) as new,
         sum(repeated) as repeated, sum(in_progress) as in_progress,
         sum(implemented) as implemented, sum(dropped) as dropped,
         sum(needs_review) as needs_review
  from ({_TOPIC_COUNTS}) group by country_code, report_year
),
years as (
  select country_code, report_year from counts
  union select country_code, report_year from treaty_status
)
select y.country_code, c.name as country, y.report_year,
       coalesce(k.open, 0) as open, coalesce(k.new, 0) as new,
       coalesce(k.repeated, 0) as repeated, coalesce(k.in_progress, 0) as in_progress,
       coalesce(k.implemented, 0) as implemented, coalesce(k.dropped, 0) as dropped,
       coalesce(k.needs_review, 0) as needs_review,
       ccm.status as ccm_status, ccm.sentence as ccm_evidence, ccm.document_id as ccm_document,
       apmbc.status as apmbc_status, apmbc.sentence as apmbc_evidence,
       apmbc.document_id as apmbc_document
from years y
left join counts k on k.country_code = y.country_code and k.report_year = y.report_year
left join countries c on c.code = y.country_code
left join treaty_status ccm on ccm.country_code = y.country_code
  and ccm.report_year = y.report_year and ccm.treaty = 'CCM'
left join treaty_status apmbc on apmbc.country_code = y.country_code
  and apmbc.report_year = y.report_year and apmbc.treaty = 'APMBC'
""",
        "recommendation_history": """
select r.id, r.country_code, r.series, r.report_year, r.position, r.primary_topic, r.text,
       r.thread_id, t.status as thread_status, r.link_score, r.needs_review,
       p.report_year as predecessor_year, p.text as predecessor_text, r.predecessor_id,
       r.document_id, r.page
from recommendations r
left join recommendations p on p.id = r.predecessor_id
left join threads t on t.id = r.thread_id
""",
    }
)
