-- The instance running a collection touches its source_run row every few seconds (feature: collect).
-- A lock whose heartbeat stopped belongs to an instance that died (kill -9, power loss): the next
-- launch marks that job execution FAILED (Spring Batch's JobOperator.recover) and takes the lock over.
ALTER TABLE source_run ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
