package io.ftpbridge.security;

import java.util.Optional;

/** Checks an API key (implemented by apikeys/): the caller it stands for, or empty if unknown, expired or revoked. */
public interface ApiKeyAuthenticator {

    /** Whether the string has the shape of one of our keys (so it is not tried as a JWT). */
    boolean looksLikeKey(String token);

    Optional<Caller> authenticate(String key);
}
