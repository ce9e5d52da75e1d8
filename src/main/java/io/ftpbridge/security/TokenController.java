package io.ftpbridge.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "Authentication", description = "Short-lived tokens for HTTP Basic credentials")
public class TokenController {

    private static final Logger log = LoggerFactory.getLogger(TokenController.class);

    private final Tokens tokens;
    private final ApplicationEventPublisher events;

    public TokenController(Tokens tokens, ApplicationEventPublisher events) {
        this.tokens = tokens;
        this.events = events;
    }

    /** The OAuth 2.0 token response (RFC 6749 §5.1). */
    public record TokenResponse(@JsonProperty("access_token") String accessToken,
                                @JsonProperty("token_type") String tokenType,
                                @JsonProperty("expires_in") long expiresIn) {
    }

    @PostMapping("/token")
    @Operation(summary = "Exchange HTTP Basic credentials for a signed token",
            description = "Send the token as `Authorization: Bearer <access_token>` until it expires "
                    + "(`ftpbridge.security.token-ttl`). Every instance sharing `ftpbridge.secrets.key` accepts it. "
                    + "Only HTTP Basic credentials are exchanged (403 for a token or an API key).")
    public TokenResponse issue(HttpServletRequest request) {
        Caller caller = Caller.current();
        if (caller.method() != AuthMethod.BASIC) {
            throw new AccessDeniedException("tokens are issued for HTTP Basic credentials only");
        }
        Tokens.Issued issued = tokens.issue(caller);
        log.info("REST token issued: user={} kind={} address={}", caller.username(), caller.kind(), request.getRemoteAddr());
        events.publishEvent(new LoginAttempt("REST", caller.username(), request.getRemoteAddr(), AuthMethod.TOKEN, null));
        return new TokenResponse(issued.value(), "Bearer", issued.expiresInSeconds());
    }
}
