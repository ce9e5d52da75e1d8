-- The events whose deliveries are still to be written, for the workers of other instances that look for those of an
-- instance that died (every poll): a partial index holds only them, so writing an event without a rule costs nothing
-- more. Only PostgreSQL (flyway locations: db/vendor/{vendor}): H2 has no partial index and serves one instance
-- (its file is locked), which looks for them only when it starts.
CREATE INDEX ix_automation_event_pending ON automation_event (id) WHERE pending_rules IS NOT NULL;
