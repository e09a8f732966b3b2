-- Provenance names the CI run that built an artifact by its URL, or by repository and commit; the
-- artifacts feature asks the builds feature whether such a run was collected (feature: builds).
CREATE INDEX pipeline_run_url_idx ON pipeline_run (url);
CREATE INDEX pipeline_run_commit_idx ON pipeline_run (commit_sha);
