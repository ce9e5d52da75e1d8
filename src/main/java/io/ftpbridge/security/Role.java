package io.ftpbridge.security;

/** What an administrator account or an API key may do; each role includes the ones below it. */
public enum Role {
    /** Read-only everywhere; never a secret. */
    VIEWER,
    /** Users, folders, files, remotes, transfers, sessions; not admin accounts. */
    OPERATOR,
    /** Everything, including admin accounts and every API key. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public static Role lower(Role a, Role b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
