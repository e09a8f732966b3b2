-- The collectors ask, per repository, for the oldest run of a source not completed yet
-- (RunStore.oldestUnfinished). Without this index H2 used only source_id of pipeline_run_uk and
-- read every run of the source once per repository: quadratic in the source's size (a GitHub
-- re-sync of 5,000 repositories and 50,000 runs took 98 s).
CREATE INDEX pipeline_run_source_repository_idx ON pipeline_run (source_id, repository, status);
