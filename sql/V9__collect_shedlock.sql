-- ShedLock's lock table (feature: collect): a scheduled collection of a source runs on one Assay
-- instance only, however many share this database. Columns as ShedLock's JdbcTemplateLockProvider
-- expects them; portable between H2 (PostgreSQL mode) and PostgreSQL.
CREATE TABLE shedlock (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    lock_until TIMESTAMP    NOT NULL,
    locked_at  TIMESTAMP    NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
);
