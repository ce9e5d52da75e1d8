package io.ftpbridge.security;

/** The two kinds of account that can call the REST API. */
public enum AccountKind {
    /** An administrator account ({@code /api/v1/admins}) with a {@link Role}. */
    ADMIN,
    /** An FTP user ({@code /api/v1/users}): only its own tree under {@code /api/v1/me}. */
    FTP_USER
}
