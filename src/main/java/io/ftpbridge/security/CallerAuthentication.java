package io.ftpbridge.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** An authenticated REST request: its {@link Caller}, never a credential. */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    public CallerAuthentication(Caller caller, Object details) {
        super(caller.authorities());
        this.caller = caller;
        setDetails(details);
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.username();
    }
}
