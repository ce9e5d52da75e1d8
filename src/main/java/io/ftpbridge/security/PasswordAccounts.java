package io.ftpbridge.security;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Accounts that log in with a username and password (administrators, FTP users), implemented by
 * the feature that owns them so that security/ depends on none of them.
 */
public interface PasswordAccounts {

    AccountKind kind();

    /**
     * Checks a password. Null when there is no such account of this kind; else the verified caller
     * (authenticated with {@link AuthMethod#BASIC}) or why it was refused.
     */
    Verification verify(String username, String password, InetAddress address);

    /** The account as it is now (enabled, address allowed), for a caller holding a token. */
    Optional<Caller> current(String username, InetAddress address);

    /** The outcome of {@link #verify}. */
    record Verification(Caller caller, String failure, boolean fresh) {
        public static Verification verified(Caller caller, boolean fresh) {
            return new Verification(caller, null, fresh);
        }

        public static Verification refused(String failure) {
            return new Verification(null, failure, true);
        }

        public boolean ok() {
            return caller != null;
        }
    }
}
