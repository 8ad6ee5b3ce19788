-- table _sqlite_migrations
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
-- table builds
CREATE TABLE "builds" (
   "id" INTEGER PRIMARY KEY,
   "started" TEXT,
   "finished" TEXT,
   "documents" INTEGER,
   "extracted" INTEGER,
   "cached" INTEGER,
   "failed" INTEGER,
   "changes" INTEGER
, "fingerprint" TEXT, "extractor_version" TEXT, "code_version" TEXT);
-- table changes
CREATE TABLE "changes" (
   "id" INTEGER PRIMARY KEY,
   "build_id" INTEGER REFERENCES "builds"("id"),
   "kind" TEXT,
   "table_name" TEXT,
   "row_id" TEXT,
   "country_code" TEXT REFERENCES "countries"("code"),
   "report_year" INTEGER,
   "detail" TEXT
);
-- table countries
CREATE TABLE "countries" (
   "code" TEXT PRIMARY KEY,
   "name" TEXT,
   "other_area" INTEGER,
   "aliases" TEXT
);
-- table crawl_runs
CREATE TABLE "crawl_runs" (
   "id" INTEGER PRIMARY KEY,
   "started" TEXT,
   "finished" TEXT,
   "sources" TEXT,
   "requested" INTEGER,
   "not_modified" INTEGER,
   "new" INTEGER,
   "changed" INTEGER,
   "unchanged" INTEGER,
   "failed" INTEGER,
   "outcome" TEXT
);
-- table developments
CREATE TABLE "developments" (
   "id" TEXT PRIMARY KEY,
   "document_id" TEXT REFERENCES "documents"("id"),
   "country_code" TEXT REFERENCES "countries"("code"),
   "series" TEXT REFERENCES "series"("slug"),
   "report_year" INTEGER,
   "event" TEXT,
   "topic" TEXT,
   "stage" TEXT,
   "year" INTEGER,
   "month" INTEGER,
   "sentence" TEXT,
   "page" INTEGER,
   "start" INTEGER,
   "end" INTEGER,
   "rule" TEXT
);
-- table developments_fts
CREATE VIRTUAL TABLE "developments_fts" USING FTS5 (
    "sentence",
    tokenize='porter',
    content="developments"
);
-- table developments_fts_config
CREATE TABLE 'developments_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
-- table developments_fts_data
CREATE TABLE 'developments_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
-- table developments_fts_docsize
CREATE TABLE 'developments_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
-- table developments_fts_idx
CREATE TABLE 'developments_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
-- table document_pages
CREATE TABLE "document_pages" (
   "id" TEXT PRIMARY KEY,
   "document_id" TEXT REFERENCES "documents"("id"),
   "page" INTEGER,
   "text" TEXT
);
-- table document_pages_fts
CREATE VIRTUAL TABLE "document_pages_fts" USING FTS5 (
    "text",
    tokenize='porter',
    content="document_pages"
);
-- table document_pages_fts_config
CREATE TABLE 'document_pages_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
-- table document_pages_fts_data
CREATE TABLE 'document_pages_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
-- table document_pages_fts_docsize
CREATE TABLE 'document_pages_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
-- table document_pages_fts_idx
CREATE TABLE 'document_pages_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
-- table documents
CREATE TABLE "documents" (
   "id" TEXT PRIMARY KEY,
   "url" TEXT,
   "final_url" TEXT,
   "source" TEXT REFERENCES "sources"("name"),
   "publisher" TEXT,
   "fetched_at" TEXT,
   "snapshot_time" TEXT,
   "etag" TEXT,
   "last_modified" TEXT,
   "content_type" TEXT,
   "size" INTEGER,
   "corpus_path" TEXT,
   "country_code" TEXT REFERENCES "countries"("code"),
   "series" TEXT REFERENCES "series"("slug"),
   "report_year" INTEGER,
   "title" TEXT,
   "pages" INTEGER,
   "metadata_rules" TEXT,
   "extractor_version" TEXT,
   "error" TEXT,
   "figures" INTEGER,
   "recommendations" INTEGER,
   "developments" INTEGER,
   "text_sha256" TEXT,
   "duplicate_of" TEXT REFERENCES "documents"("id")
);
-- table fetches
CREATE TABLE "fetches" (
   "id" INTEGER PRIMARY KEY,
   "run_id" INTEGER REFERENCES "crawl_runs"("id"),
   "source" TEXT,
   "url" TEXT,
   "final_url" TEXT,
   "status" INTEGER,
   "outcome" TEXT,
   "sha256" TEXT,
   "error" TEXT,
   "fetched_at" TEXT,
   "elapsed_ms" INTEGER
);
-- table figures
CREATE TABLE "figures" (
   "id" TEXT PRIMARY KEY,
   "document_id" TEXT REFERENCES "documents"("id"),
   "country_code" TEXT REFERENCES "countries"("code"),
   "series" TEXT REFERENCES "series"("slug"),
   "report_year" INTEGER,
   "metric" TEXT,
   "value" REAL,
   "value_high" REAL,
   "unit" TEXT,
   "year" INTEGER,
   "qualifier" TEXT,
   "criterion" TEXT,
   "confidence" TEXT,
   "flags" TEXT,
   "text" TEXT,
   "sentence" TEXT,
   "page" INTEGER,
   "start" INTEGER,
   "end" INTEGER,
   "section" TEXT,
   "rule" TEXT
);
-- table figures_fts
CREATE VIRTUAL TABLE "figures_fts" USING FTS5 (
    "sentence",
    tokenize='porter',
    content="figures"
);
-- table figures_fts_config
CREATE TABLE 'figures_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
-- table figures_fts_data
CREATE TABLE 'figures_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
-- table figures_fts_docsize
CREATE TABLE 'figures_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
-- table figures_fts_idx
CREATE TABLE 'figures_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
-- table recommendation_links
CREATE TABLE "recommendation_links" (
   "id" TEXT PRIMARY KEY,
   "recommendation_id" TEXT REFERENCES "recommendations"("id"),
   "linked_id" TEXT REFERENCES "recommendations"("id"),
   "kind" TEXT,
   "score" REAL,
   "text_score" REAL,
   "topic_score" REAL,
   "needs_review" INTEGER
);
-- table recommendation_topics
CREATE TABLE "recommendation_topics" (
   "recommendation_id" TEXT REFERENCES "recommendations"("id"),
   "topic" TEXT,
   "rank" INTEGER,
   "rule" TEXT,
   PRIMARY KEY ("recommendation_id", "topic")
);
-- table recommendations
CREATE TABLE "recommendations" (
   "id" TEXT PRIMARY KEY,
   "document_id" TEXT REFERENCES "documents"("id"),
   "country_code" TEXT REFERENCES "countries"("code"),
   "series" TEXT REFERENCES "series"("slug"),
   "report_year" INTEGER,
   "position" INTEGER,
   "text" TEXT,
   "actor" TEXT,
   "action" TEXT,
   "urgency" TEXT,
   "truncated" INTEGER,
   "primary_topic" TEXT,
   "topics" TEXT,
   "page" INTEGER,
   "start" INTEGER,
   "end" INTEGER,
   "thread_id" TEXT REFERENCES "threads"("id"),
   "predecessor_id" TEXT REFERENCES "recommendations"("id"),
   "link_score" REAL,
   "needs_review" INTEGER,
   "text_score" REAL,
   "topic_score" REAL
);
-- table recommendations_fts
CREATE VIRTUAL TABLE "recommendations_fts" USING FTS5 (
    "text",
    tokenize='porter',
    content="recommendations"
);
-- table recommendations_fts_config
CREATE TABLE 'recommendations_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
-- table recommendations_fts_data
CREATE TABLE 'recommendations_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
-- table recommendations_fts_docsize
CREATE TABLE 'recommendations_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
-- table recommendations_fts_idx
CREATE TABLE 'recommendations_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
-- table series
CREATE TABLE "series" (
   "slug" TEXT PRIMARY KEY,
   "name" TEXT,
   "publisher" TEXT
);
-- table sources
CREATE TABLE "sources" (
   "name" TEXT PRIMARY KEY,
   "publisher" TEXT,
   "base_url" TEXT
);
-- table thread_status
CREATE TABLE "thread_status" (
   "thread_id" TEXT REFERENCES "threads"("id"),
   "report_year" INTEGER,
   "status" TEXT,
   "recommendation_id" TEXT REFERENCES "recommendations"("id"),
   "evidence_id" TEXT REFERENCES "developments"("id"),
   "needs_review" INTEGER, "evidence_basis" TEXT, "note" TEXT,
   PRIMARY KEY ("thread_id", "report_year")
);
-- table threads
CREATE TABLE "threads" (
   "id" TEXT PRIMARY KEY,
   "country_code" TEXT REFERENCES "countries"("code"),
   "series" TEXT REFERENCES "series"("slug"),
   "topic" TEXT,
   "title" TEXT,
   "first_year" INTEGER,
   "last_year" INTEGER,
   "times_repeated" INTEGER,
   "status" TEXT,
   "status_year" INTEGER,
   "needs_review" INTEGER,
   "evidence_id" TEXT REFERENCES "developments"("id"),
   "events" TEXT,
   "first_recommendation_id" TEXT REFERENCES "recommendations"("id"),
   "last_recommendation_id" TEXT REFERENCES "recommendations"("id"),
   "evidence_basis" TEXT
);
-- table treaty_status
CREATE TABLE "treaty_status" (
   "id" TEXT PRIMARY KEY,
   "country_code" TEXT REFERENCES "countries"("code"),
   "report_year" INTEGER,
   "treaty" TEXT,
   "status" TEXT,
   "sentence" TEXT,
   "document_id" TEXT REFERENCES "documents"("id"),
   "page" INTEGER,
   "rule" TEXT
);
-- table update_runs
CREATE TABLE "update_runs" (
   "id" INTEGER PRIMARY KEY,
   "started" TEXT,
   "finished" TEXT,
   "outcome" TEXT,
   "exit_code" INTEGER,
   "sources" TEXT,
   "requested" INTEGER,
   "new_versions" INTEGER,
   "failed" INTEGER,
   "new_documents" INTEGER,
   "new_recommendations" INTEGER,
   "status_changes" INTEGER,
   "error" TEXT
);
-- index idx__sqlite_migrations_migration_set_name
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
-- index idx_changes_build_id
CREATE INDEX "idx_changes_build_id"
    ON "changes" ("build_id");
-- index idx_changes_kind
CREATE INDEX "idx_changes_kind"
    ON "changes" ("kind");
-- index idx_developments_country_code_topic
CREATE INDEX "idx_developments_country_code_topic"
    ON "developments" ("country_code", "topic");
-- index idx_developments_document_id
CREATE INDEX "idx_developments_document_id"
    ON "developments" ("document_id");
-- index idx_document_pages_document_id
CREATE INDEX "idx_document_pages_document_id"
    ON "document_pages" ("document_id");
-- index idx_documents_country_code_series_report_year
CREATE INDEX "idx_documents_country_code_series_report_year"
    ON "documents" ("country_code", "series", "report_year");
-- index idx_figures_country_code_year_metric
CREATE INDEX "idx_figures_country_code_year_metric"
    ON "figures" ("country_code", "year", "metric");
-- index idx_figures_document_id
CREATE INDEX "idx_figures_document_id"
    ON "figures" ("document_id");
-- index idx_figures_metric_year
CREATE INDEX "idx_figures_metric_year"
    ON "figures" ("metric", "year");
-- index idx_recommendation_links_linked_id
CREATE INDEX "idx_recommendation_links_linked_id"
    ON "recommendation_links" ("linked_id");
-- index idx_recommendation_links_recommendation_id
CREATE INDEX "idx_recommendation_links_recommendation_id"
    ON "recommendation_links" ("recommendation_id");
-- index idx_recommendation_topics_topic
CREATE INDEX "idx_recommendation_topics_topic"
    ON "recommendation_topics" ("topic");
-- index idx_recommendations_country_code_report_year
CREATE INDEX "idx_recommendations_country_code_report_year"
    ON "recommendations" ("country_code", "report_year");
-- index idx_recommendations_document_id
CREATE INDEX "idx_recommendations_document_id"
    ON "recommendations" ("document_id");
-- index idx_recommendations_primary_topic
CREATE INDEX "idx_recommendations_primary_topic"
    ON "recommendations" ("primary_topic");
-- index idx_recommendations_thread_id
CREATE INDEX "idx_recommendations_thread_id"
    ON "recommendations" ("thread_id");
-- index idx_thread_status_report_year
CREATE INDEX "idx_thread_status_report_year"
    ON "thread_status" ("report_year");
-- index idx_thread_status_status
CREATE INDEX "idx_thread_status_status"
    ON "thread_status" ("status");
-- index idx_threads_country_code_topic
CREATE INDEX "idx_threads_country_code_topic"
    ON "threads" ("country_code", "topic");
-- index idx_threads_status
CREATE INDEX "idx_threads_status"
    ON "threads" ("status");
-- index idx_treaty_status_country_code_report_year
CREATE INDEX "idx_treaty_status_country_code_report_year"
    ON "treaty_status" ("country_code", "report_year");
