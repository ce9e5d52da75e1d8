-- PostgreSQL does not index a foreign key's columns by itself (H2 does, for fk_event_delivery_event): the retention
-- purge deletes events, and the delete cascades to their deliveries by event_id. Only for PostgreSQL (flyway
-- locations: db/vendor/{vendor}); on H2 this index would be a second one on the same column.
CREATE INDEX ix_event_delivery_event ON event_delivery (event_id);
