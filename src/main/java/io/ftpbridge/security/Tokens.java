package io.ftpbridge.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

/**
 * The short-lived tokens of {@code POST /api/v1/auth/token}: HS256 JWTs (Nimbus, through Spring
 * Security's resource-server support) signed with a key derived from {@code ftpbridge.secrets.key},
 * so every instance sharing that key issues and accepts the same tokens. A token names an account
 * (subject and kind), not its role: the role and enabled flag are read when the token is used.
 */
@Component
public class Tokens {

    static final String ISSUER = "ftpbridge";
    static final String KIND = "kind";
    /** How long a token, once decoded, is taken as read without decoding it again. */
    static final Duration REUSE = Duration.ofSeconds(1);
    private static final int MAX_REMEMBERED = 10_000;

    /** A token that decoded (signature, issuer, times checked), when, and until when it is valid. */
    private record Decoded(Subject subject, long decodedAtNanos, Instant expiresAt) {
    }

    private final Map<String, Decoded> recent = new ConcurrentHashMap<>();

    private final JwtEncoder encoder;
    private final JwtDecoder decoder;
    private final AuthProperties properties;

    public Tokens(SecretCipher secrets, AuthProperties properties) {
        SecretKey key = new SecretKeySpec(secrets.derivedKey("jwt-hs256"), "HmacSHA256");
        this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(key));
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(ISSUER));
        this.decoder = decoder;
        this.properties = properties;
    }

    /** A signed token and its lifetime in seconds. */
    public record Issued(String value, long expiresInSeconds) {
    }

    public Issued issue(Caller caller) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .subject(caller.username())
                .claim(KIND, caller.kind().name())
                .issuedAt(now)
                .expiresAt(now.plus(properties.tokenTtl()))
                .id(UUID.randomUUID().toString())
                .build();
        String value = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
        return new Issued(value, properties.tokenTtl().toSeconds());
    }

    /**
     * The account a valid, unexpired token names; empty for anything else. A token decoded less
     * than {@link #REUSE} ago is not decoded again (a client sending the same token in a loop costs
     * a map lookup, not an HMAC and a JSON parse), and is refused from its expiry on as before. What
     * the account may do is not part of this: it is read per request from the account.
     */
    Optional<Subject> read(String token) {
        long now = System.nanoTime();
        Decoded known = recent.get(token);
        if (known != null && now - known.decodedAtNanos() < REUSE.toNanos() && Instant.now().isBefore(known.expiresAt())) {
            return Optional.of(known.subject());
        }
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        } catch (JwtException e) {
            return Optional.empty();
        }
        Subject subject;
        try {
            subject = new Subject(jwt.getSubject(), AccountKind.valueOf(jwt.getClaimAsString(KIND)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
        if (jwt.getExpiresAt() != null) {
            if (recent.size() >= MAX_REMEMBERED) {
                recent.clear(); // many distinct tokens in a second: start over rather than grow
            }
            recent.put(token, new Decoded(subject, now, jwt.getExpiresAt()));
        }
        return Optional.of(subject);
    }

    record Subject(String username, AccountKind kind) {
    }
}
