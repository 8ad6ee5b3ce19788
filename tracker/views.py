"""SQL views for the common questions (published by Datasette)."""

VIEWS = {
    "recommendation_status": """
select t.country_code, c.name as country, t.series, t.topic, ts.report_year, ts.status,
       ts.needs_review, t.id as thread_id, t.title, r.text as recommendation,
       d.sentence as evidence, d.page as evidence_page, ev.url as evidence_url
from thread_status ts
join threads t on t.id = ts.thread_id
left join countries c on c.code = t.country_code
left join recommendations r on r.id = ts.recommendation_id
left join developments d on d.id = ts.evidence_id
left join documents ev on ev.id = d.document_id
""",
    "figures_cited": """
select f.id, f.country_code, c.name as country, f.year, f.metric, f.criterion, f.value,
       f.value_high, f.unit, f.qualifier, f.sentence, f.page, doc.url,
       doc.url || case when doc.content_type = 'application/pdf'
                       then '#page=' || f.page else '' end as source_link,
       doc.publisher || ', ' || coalesce(doc.title, doc.series) || ' (' || doc.report_year
         || '), p. ' || f.page || ', ' || doc.url || ', fetched ' || doc.fetched_at as citation
from figures f
join documents doc on doc.id = f.document_id
left join countries c on c.code = f.country_code
""",
}
