package io.ftpbridge.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ftpbridge.testsupport.FtpBridgeTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The Flyway migrations on a real PostgreSQL: all applied, and the constraints hold. */
@FtpBridgeTest
class PostgresSchemaTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void suiteRunsOnPostgresqlWithEveryMigrationApplied() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        Integer failed = jdbc.queryForObject("select count(*) from flyway_schema_history where not success", Integer.class);
        Integer applied = jdbc.queryForObject("select count(*) from flyway_schema_history where success", Integer.class);
        assertThat(failed).isZero();
        assertThat(applied).isPositive();
    }

    /**
     * PostgreSQL indexes no foreign key by itself: a delete that cascades (or is checked) through one without an index
     * reads the whole referencing table for every row deleted, e.g. the events retention purge through
     * {@code event_delivery.event_id}.
     */
    @Test
    void everyForeignKeyIsTheLeadingColumnOfAnIndex() {
        List<String> unindexed = jdbc.queryForList("""
                SELECT c.conrelid::regclass || '.' || a.attname FROM pg_constraint c
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                WHERE c.contype = 'f'
                  AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
                ORDER BY 1""", String.class);
        assertThat(unindexed).isEmpty();
    }

    @Test
    void aMountCannotReferToAMissingFolderEvenBehindTheApisBack() {
        jdbc.update("insert into ftp_user (username, password_hash, created_at, updated_at) values ('fk-user', 'x', now(), now())");
        Long id = jdbc.queryForObject("select id from ftp_user where username = 'fk-user'", Long.class);
        assertThatThrownBy(() -> jdbc.update(
                "insert into user_mount (user_id, folder_name, path, permissions) values (?, 'missing-folder', '/', 'LIST')", id))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.update(
                "insert into ftp_user (username, password_hash, created_at, updated_at) values ('fk-user', 'y', now(), now())"))
                .isInstanceOf(DataIntegrityViolationException.class);
        jdbc.update("delete from ftp_user where id = ?", id);
    }
}
