-- Metrics rollups, second part (docs/metrics.md): the incident durations are computed by the rollup
-- job, not on request. For every window x scope the MTTD / MTTA / MTTR row of metric_daily now also
-- holds the bootstrap interval of the median and the period-over-period comparison, so the dashboard,
-- the league table and the Prometheus gauges read one row instead of recombining samples.
ALTER TABLE metric_daily ADD COLUMN ci90_low_s DOUBLE PRECISION;
ALTER TABLE metric_daily ADD COLUMN ci90_high_s DOUBLE PRECISION;
ALTER TABLE metric_daily ADD COLUMN too_few BOOLEAN;
ALTER TABLE metric_daily ADD COLUMN previous_n INTEGER;
ALTER TABLE metric_daily ADD COLUMN previous_median_s DOUBLE PRECISION;
ALTER TABLE metric_daily ADD COLUMN difference_s DOUBLE PRECISION;
ALTER TABLE metric_daily ADD COLUMN p_value DOUBLE PRECISION;
ALTER TABLE metric_daily ADD COLUMN detectable BOOLEAN;
ALTER TABLE metric_daily ADD COLUMN comparison_label VARCHAR(300);

-- metric_week: the weekly median of each incident duration over the last 12 weeks before the newest
-- rollup run (the dashboard's trend), for the organisation (team = '') and each team. Replaced whole
-- by every run. A service's trend is recombined from its few samples on request.
CREATE TABLE metric_week (
    metric     VARCHAR(40) NOT NULL,
    team       VARCHAR(200) NOT NULL,
    week_end   DATE NOT NULL,
    n          INTEGER NOT NULL,
    median_s   DOUBLE PRECISION,
    PRIMARY KEY (metric, team, week_end)
);

-- A service's samples (its tile and trend) and a team's, without reading the whole window's.
CREATE INDEX metric_sample_service_idx ON metric_sample (metric, service, occurred_at);
CREATE INDEX metric_sample_team_idx ON metric_sample (metric, team, occurred_at);
