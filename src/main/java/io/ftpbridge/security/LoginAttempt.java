package io.ftpbridge.security;

/**
 * A login, successful or not, over FTP or REST (a password checked afresh or a token issued);
 * published for the audit trail.
 *
 * @param protocol {@code FTP} or {@code REST}
 * @param failure  null when the login succeeded
 */
public record LoginAttempt(String protocol, String username, String address, AuthMethod method, String failure) {

    public boolean succeeded() {
        return failure == null;
    }
}
