package io.ftpbridge.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for the tests: a Testcontainers container where Docker runs, otherwise the
 * local server (127.0.0.1:5432, or {@code FTPBRIDGE_TEST_PG_URL}) that {@code .ci/run} starts.
 * Each test JVM gets a fresh database of its own. Never skips: no PostgreSQL is a test failure.
 */
public final class PostgresSupport {

    /** JDBC URL, user and password of a fresh database. */
    public record Database(String url, String username, String password) {
    }

    private static Database database;
    private static PostgreSQLContainer container;

    private PostgresSupport() {
    }

    public static synchronized Database database() {
        if (database == null) {
            database = DockerClientFactory.instance().isDockerAvailable() ? fromContainer() : fromLocalServer();
        }
        return database;
    }

    /** Another fresh database on the same server, for tests that need a clean schema. */
    public static Database freshDatabase() {
        Database base = database();
        if (container != null) {
            return createDatabase(base.url(), base.username(), base.password());
        }
        return fromLocalServer();
    }

    private static Database fromContainer() {
        container = new PostgreSQLContainer("postgres:16-alpine");
        container.start();
        return new Database(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    private static Database fromLocalServer() {
        String adminUrl = System.getenv().getOrDefault("FTPBRIDGE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getenv().getOrDefault("FTPBRIDGE_TEST_PG_USER", "postgres");
        String password = System.getenv().getOrDefault("FTPBRIDGE_TEST_PG_PASSWORD", "");
        return createDatabase(adminUrl, user, password);
    }

    private static Database createDatabase(String adminUrl, String user, String password) {
        String name = "ftpbridge_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("No PostgreSQL for the tests at " + adminUrl
                    + " (start it, or set FTPBRIDGE_TEST_PG_URL): " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dropQuietly(adminUrl, user, password, name)));
        int slash = adminUrl.lastIndexOf('/');
        int query = adminUrl.indexOf('?', slash);
        String url = adminUrl.substring(0, slash + 1) + name + (query > 0 ? adminUrl.substring(query) : "");
        return new Database(url, user, password);
    }

    private static void dropQuietly(String adminUrl, String user, String password, String name) {
        try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException ignored) {
            // the server may already be gone at JVM exit
        }
    }
}
