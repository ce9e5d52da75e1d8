package io.ftpbridge.security;

import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * HTTP Basic: administrator accounts first, then FTP users. A refusal is a
 * {@link BadCredentialsException}, so Spring Security publishes its standard failure event (the
 * login guard counts those per address and account).
 */
final class PasswordAuthenticationProvider implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(PasswordAuthenticationProvider.class);

    private final List<PasswordAccounts> accounts;
    private final ApplicationEventPublisher events;

    PasswordAuthenticationProvider(List<PasswordAccounts> accounts, ApplicationEventPublisher events) {
        this.accounts = accounts.stream().sorted(Comparator.comparing(PasswordAccounts::kind)).toList();
        this.events = events;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String username = authentication.getName();
        String password = authentication.getCredentials() == null ? null : authentication.getCredentials().toString();
        String address = ClientAddress.of(authentication.getDetails());
        String failure = "UNKNOWN_ACCOUNT";
        for (PasswordAccounts kind : accounts) {
            PasswordAccounts.Verification verification = kind.verify(username, password, ClientAddress.inet(authentication.getDetails()));
            if (verification == null) {
                continue;
            }
            if (verification.ok()) {
                if (verification.fresh()) {
                    log.info("REST login: user={} kind={} address={}", username, kind.kind(), address);
                    events.publishEvent(new LoginAttempt("REST", username, address, AuthMethod.BASIC, null));
                }
                return new CallerAuthentication(verification.caller(), authentication.getDetails());
            }
            failure = verification.failure();
        }
        log.info("REST login refused: user={} address={} reason={}", username, address, failure);
        events.publishEvent(new LoginAttempt("REST", username, address, AuthMethod.BASIC, failure));
        throw new BadCredentialsException("bad credentials");
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
