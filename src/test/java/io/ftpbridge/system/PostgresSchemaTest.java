package io.ftpbridge.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ftpbridge.testsupport.FtpBridgeTest;
import java.sql.Connection;
import java.sql.SQLException;
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
