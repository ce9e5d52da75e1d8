package io.ftpbridge.security;

/** How a REST caller proved who it is. */
public enum AuthMethod {
    BASIC, TOKEN, API_KEY
}
