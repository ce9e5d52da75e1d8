-- per-account FTPS requirement (issue 15.8): control and data connections must be protected
ALTER TABLE ftp_user ADD COLUMN tls_required BOOLEAN DEFAULT FALSE NOT NULL;
