-- The figures "as of" a past instant (the metrics rollup's backfill, docs/metrics.md) look for the
-- status changes of findings after that instant: by time, not by finding.
CREATE INDEX finding_event_occurred_idx ON finding_event (occurred_at);
