-- The rollup job's cluster-wide lock (docs/metrics.md): the run that writes the rollups holds this
-- row locked (SELECT ... FOR UPDATE SKIP LOCKED) for the whole of its transaction, so instances
-- sharing the database never write them at the same time. The database releases it when the
-- transaction ends, or when the connection of an instance that died goes away.
CREATE TABLE metric_rollup_lock (
    name VARCHAR(40) NOT NULL PRIMARY KEY
);
INSERT INTO metric_rollup_lock (name) VALUES ('rollup');
