package io.ftpbridge.support;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Which of the two databases ftpbridge runs on a connection belongs to, for the few statements written differently
 * for each (PostgreSQL, else H2).
 */
public final class Databases {

    private Databases() {
    }

    public static boolean isPostgreSql(Connection connection) throws SQLException {
        return "PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
    }
}
