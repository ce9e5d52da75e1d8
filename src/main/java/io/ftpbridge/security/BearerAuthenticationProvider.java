package io.ftpbridge.security;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * {@code Authorization: Bearer} (or {@code X-API-Key}): an API key when it has a key's shape, else
 * one of our signed tokens, whose account is looked up as it is now (deleted, disabled or no longer
 * allowed from this address: refused).
 */
final class BearerAuthenticationProvider implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(BearerAuthenticationProvider.class);

    private final ApiKeyAuthenticator keys;
    private final Tokens tokens;
    private final Map<AccountKind, PasswordAccounts> accounts;
    private final ApplicationEventPublisher events;

    BearerAuthenticationProvider(ApiKeyAuthenticator keys, Tokens tokens, java.util.List<PasswordAccounts> accounts,
                                 ApplicationEventPublisher events) {
        this.keys = keys;
        this.tokens = tokens;
        this.accounts = accounts.stream().collect(Collectors.toMap(PasswordAccounts::kind, Function.identity()));
        this.events = events;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        Object details = authentication.getDetails();
        if (keys.looksLikeKey(token)) {
            Caller caller = keys.authenticate(token).orElseThrow(() -> refused(details, AuthMethod.API_KEY,
                    "UNKNOWN_EXPIRED_OR_REVOKED_KEY", "the API key is unknown, expired or revoked"));
            return new CallerAuthentication(caller, details);
        }
        Optional<Tokens.Subject> subject = tokens.read(token);
        if (subject.isEmpty()) {
            throw refused(details, AuthMethod.TOKEN, "INVALID_TOKEN", "the token is invalid or expired");
        }
        PasswordAccounts kind = accounts.get(subject.get().kind());
        Caller caller = (kind == null ? Optional.<Caller>empty() : kind.current(subject.get().username(), ClientAddress.inet(details)))
                .orElseThrow(() -> refused(details, AuthMethod.TOKEN, "ACCOUNT_GONE_OR_DISABLED",
                        "the token's account no longer exists, is disabled or is not allowed from this address"));
        return new CallerAuthentication(caller.via(AuthMethod.TOKEN), details);
    }

    private BadCredentialsException refused(Object details, AuthMethod method, String reason, String message) {
        String address = ClientAddress.of(details);
        log.info("REST bearer credentials refused: method={} address={} reason={}", method, address, reason);
        events.publishEvent(new LoginAttempt("REST", null, address, method, reason));
        return new BadCredentialsException(message);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
