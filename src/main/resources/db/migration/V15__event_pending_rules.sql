-- The ids of the rules that took an event (comma-separated) while their first deliveries are still to be written;
-- NULL when no rule took it or once they are written. The event is written with it by the thread that raised it (a
-- plain insert: an upload thread no longer writes deliveries) and the delivery worker writes the deliveries and
-- clears it in one transaction, so a rule's first delivery of an event is written exactly once, also after a crash.
ALTER TABLE automation_event ADD COLUMN pending_rules VARCHAR(1000000);
