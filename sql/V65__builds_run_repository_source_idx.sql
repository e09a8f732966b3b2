-- V64's index led with source_id, and on PostgreSQL without table statistics (a new database, or
-- autovacuum off, as on the CI machines) the plan cached for RunStore.upsert's lookup by
-- (source_id, external_id, attempt) chose it over pipeline_run_uk: every lookup then read every run
-- of the source (the benchmark's L GitHub collection: 60,000 scans of 25,000 index entries each,
-- 5 min 20 s instead of about one). Led by repository, the index serves only what it is for
-- (RunStore.oldestUnfinished: one repository of one source, not completed) and cannot be mistaken
-- for a lookup by source.
DROP INDEX pipeline_run_source_repository_idx;
CREATE INDEX pipeline_run_repository_source_idx ON pipeline_run (repository, source_id, status);
