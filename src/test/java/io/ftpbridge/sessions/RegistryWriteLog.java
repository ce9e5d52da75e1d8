package io.ftpbridge.sessions;

import io.ftpbridge.testsupport.PostgresSupport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * PostgreSQL itself records, through row triggers, which transaction wrote each row of the sessions
 * registry's tables ({@code ftp_session}, {@code ftp_instance}) and for which instance: what the
 * registry costs the database, counted by the database rather than by the registry.
 */
final class RegistryWriteLog implements AutoCloseable {

    private static final List<String> TABLES = List.of("ftp_session", "ftp_instance");

    private final Connection connection;

    private RegistryWriteLog(Connection connection) {
        this.connection = connection;
    }

    static RegistryWriteLog install(PostgresSupport.Database db) throws SQLException {
        Connection connection = DriverManager.getConnection(db.url(), db.username(), db.password());
        try (Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE IF NOT EXISTS registry_write (tx BIGINT, tbl TEXT, op TEXT, instance TEXT,"
                    + " session_id TEXT, at TIMESTAMPTZ DEFAULT clock_timestamp())");
            sql.execute("""
                    CREATE OR REPLACE FUNCTION record_registry_write() RETURNS trigger LANGUAGE plpgsql AS $$
                    DECLARE r jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
                    BEGIN
                      INSERT INTO registry_write (tx, tbl, op, instance, session_id) VALUES (txid_current(), TG_TABLE_NAME,
                        TG_OP, COALESCE(r->>'instance', r->>'id'), CASE WHEN TG_TABLE_NAME = 'ftp_session' THEN r->>'id' END);
                      RETURN NULL;
                    END $$""");
            for (String table : TABLES) {
                sql.execute("CREATE TRIGGER record_registry_write AFTER INSERT OR UPDATE OR DELETE ON " + table
                        + " FOR EACH ROW EXECUTE FUNCTION record_registry_write()");
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new RegistryWriteLog(connection);
    }

    /**
     * What one instance wrote since {@code from}: its write transactions, how many of them renewed its
     * lease, the session rows written, and the most times one session was written in one transaction.
     */
    Writes since(String instance, OffsetDateTime from) throws SQLException {
        return new Writes(
                count("SELECT COUNT(DISTINCT tx) FROM registry_write WHERE instance = ? AND at >= ?", instance, from),
                count("SELECT COUNT(*) FROM registry_write WHERE instance = ? AND at >= ? AND tbl = 'ftp_instance'"
                        + " AND op = 'UPDATE'", instance, from),
                count("SELECT COUNT(*) FROM registry_write WHERE instance = ? AND at >= ? AND tbl = 'ftp_session'",
                        instance, from),
                count("SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) n FROM registry_write WHERE instance = ? AND at >= ?"
                        + " AND tbl = 'ftp_session' GROUP BY tx, session_id) x", instance, from));
    }

    /** One instance's registry writes over a time. */
    record Writes(long transactions, long leaseRenewals, long sessionRows, long mostPerSessionAndTransaction) {
    }

    private long count(String query, String instance, OffsetDateTime from) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, instance);
            statement.setObject(2, from);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        try (Statement sql = connection.createStatement()) {
            for (String table : TABLES) {
                sql.execute("DROP TRIGGER IF EXISTS record_registry_write ON " + table);
            }
        } finally {
            connection.close();
        }
    }
}
