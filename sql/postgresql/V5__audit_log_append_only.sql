-- PostgreSQL only (location db/vendor/postgresql): the audit log refuses UPDATE and DELETE,
-- so even a bug or a hand-typed statement cannot rewrite history.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
