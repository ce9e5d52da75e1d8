-- One counter, raised in the transaction of every event-rule change, so every instance that keeps the rules
-- in memory (the publisher reads them for every event) sees a change made on another one with one cheap read.
CREATE TABLE event_rule_revision (
    id       INTEGER PRIMARY KEY,
    revision BIGINT NOT NULL
);
INSERT INTO event_rule_revision (id, revision) VALUES (1, 0);
