-- afterSuccess on the source side is owed, not done, once a file is verified at its destination (state SOURCE):
-- the intent is in the database before the source is touched, so a crash or a refusal there is finished later.
ALTER TABLE schedule_file ADD COLUMN source_attempts INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE schedule_file ADD COLUMN source_next_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE schedule_file ADD COLUMN source_error VARCHAR(1024);
