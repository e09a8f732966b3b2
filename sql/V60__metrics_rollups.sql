-- Metrics rollups (DESIGN §3, docs/metrics.md): what the dashboard, the executive report and the
-- Prometheus gauges read instead of the facts tables. Written only by the metricsRollupJob.
--
-- metric_daily: one row per day x metric x window x team x service, the figure as the feature's own
-- figure service computed it on that day. team = '' and service = '' mean "all" (the organisation,
-- or every service of the team), so the row of a filter is read, never summed or averaged.
-- Ratios fill numerator / denominator; durations fill n, excluded and the statistics.
CREATE TABLE metric_daily (
    rollup_day   DATE NOT NULL,
    metric       VARCHAR(40) NOT NULL,
    time_window  VARCHAR(20) NOT NULL,
    team         VARCHAR(200) NOT NULL,
    service      VARCHAR(200) NOT NULL,
    numerator    BIGINT,
    denominator  BIGINT,
    n            INTEGER,
    excluded     INTEGER,
    median_s     DOUBLE PRECISION,
    p90_s        DOUBLE PRECISION,
    mean_s       DOUBLE PRECISION,
    computed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (rollup_day, metric, time_window, team, service)
);
CREATE INDEX metric_daily_scope_idx ON metric_daily (metric, time_window, team, service, rollup_day);

-- metric_sample: one incident duration (mttd, mtta, mttr) per incident x affected service, with
-- the instant its windows select it by. Medians cannot be averaged, so a window's figure is
-- recombined from these samples (distinct incidents). seconds is null when the incident is
-- excluded from that figure (a timestamp unknown or inconsistent).
CREATE TABLE metric_sample (
    metric       VARCHAR(40) NOT NULL,
    subject_id   BIGINT NOT NULL,
    service      VARCHAR(200) NOT NULL,
    team         VARCHAR(200) NOT NULL,
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    sample_day   DATE NOT NULL,
    seconds      DOUBLE PRECISION,
    PRIMARY KEY (metric, subject_id, service)
);
CREATE INDEX metric_sample_window_idx ON metric_sample (metric, occurred_at);
