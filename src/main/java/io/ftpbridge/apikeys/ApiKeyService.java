package io.ftpbridge.apikeys;

import io.ftpbridge.admins.AdminService;
import io.ftpbridge.security.AccountKind;
import io.ftpbridge.security.ApiKeyAuthenticator;
import io.ftpbridge.security.AuthMethod;
import io.ftpbridge.security.Caller;
import io.ftpbridge.security.Role;
import io.ftpbridge.web.InvalidRequestException;
import io.ftpbridge.web.NotFoundException;
import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys for scripts: {@code fbk_<id>_<secret>}, the id naming the key and 32 random bytes as
 * the secret; only the SHA-256 of the whole key is stored (a fast hash suits a high-entropy random
 * key). A key acts with the lower of its own role and its creator's current role, and not at all
 * once its creator is disabled or deleted. What a key is allowed is read from the database at
 * most {@link #RECHECK} after it was last read, so a revocation on any instance sharing the
 * database takes effect everywhere within that time (at once on the instance that revoked it).
 */
@Service
public class ApiKeyService implements ApiKeyAuthenticator {

    static final Duration RECHECK = Duration.ofSeconds(4);
    static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    private static final String PREFIX = "fbk_";
    private static final int ID_LENGTH = 12;
    private static final int MAX_KNOWN = 10_000;
    private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final Logger log = LoggerFactory.getLogger(ApiKeyService.class);

    /** What was read about a key: its hash, expiry, effective role and creator; role null = refused. */
    private record Known(String secretHash, Instant expiresAt, Role role, String createdBy, long readAtNanos) {
    }

    private final ApiKeyRepository keys;
    private final AdminService admins;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastUseRecorded = new ConcurrentHashMap<>();

    ApiKeyService(ApiKeyRepository keys, AdminService admins) {
        this.keys = keys;
        this.admins = admins;
    }

    @Transactional
    public ApiKeyResponse create(Caller creator, ApiKeyRequest request) {
        if (creator.kind() != AccountKind.ADMIN || creator.method() == AuthMethod.API_KEY) {
            throw new AccessDeniedException("API keys are created by administrator accounts, not by API keys");
        }
        if (!creator.role().includes(request.role())) {
            throw new AccessDeniedException("a key's role cannot be above its creator's");
        }
        if (request.expiresAt() != null && !request.expiresAt().isAfter(Instant.now())) {
            throw new InvalidRequestException("expiresAt", "must be in the future");
        }
        String id = newId();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String whole = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey key = new ApiKey(id, request.name(), request.role(), sha256(whole), creator.username(), request.expiresAt());
        keys.saveAndFlush(key);
        log.info("API key created: id={} name={} role={} by={} expiresAt={}", id, request.name(), request.role(),
                creator.username(), request.expiresAt());
        return ApiKeyResponse.of(key, whole);
    }

    /** ADMIN sees every key; others their own. */
    @Transactional(readOnly = true)
    public PageResponse<ApiKeyResponse> list(Caller caller, int page, int size) {
        PageRequest request = PageRequests.of(page, size, Sort.by("createdAt", "id"));
        var found = caller.role() == Role.ADMIN ? keys.findAll(request) : keys.findByCreatedBy(caller.username(), request);
        return PageResponse.of(found, k -> ApiKeyResponse.of(k, null));
    }

    /** Revokes a key: ADMIN any, others their own. */
    @Transactional
    public void revoke(Caller caller, String id) {
        ApiKey key = keys.findById(id)
                .filter(k -> caller.role() == Role.ADMIN || k.getCreatedBy().equals(caller.username()))
                .orElseThrow(() -> new NotFoundException("API key '%s' does not exist".formatted(id)));
        keys.delete(key);
        keys.flush();
        known.remove(id);
        lastUseRecorded.remove(id);
        log.info("API key revoked: id={} name={} by={}", id, key.getName(), caller.username());
    }

    @Override
    public boolean looksLikeKey(String token) {
        return token.startsWith(PREFIX);
    }

    @Override
    public Optional<Caller> authenticate(String whole) {
        if (whole.length() < PREFIX.length() + ID_LENGTH + 2 || whole.charAt(PREFIX.length() + ID_LENGTH) != '_') {
            return Optional.empty();
        }
        String id = whole.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        long now = System.nanoTime();
        Known key = known.get(id);
        if (key == null || now - key.readAtNanos() > RECHECK.toNanos()) {
            key = read(id, now);
            if (known.size() >= MAX_KNOWN) {
                known.clear(); // a spray of made-up key ids: start over rather than grow
            }
            known.put(id, key);
        }
        if (key.role() == null || !MessageDigest.isEqual(key.secretHash().getBytes(StandardCharsets.US_ASCII),
                sha256(whole).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        Instant instant = Instant.now();
        if (key.expiresAt() != null && !instant.isBefore(key.expiresAt())) {
            return Optional.empty();
        }
        recordUse(id, instant);
        return Optional.of(new Caller(key.createdBy(), AccountKind.ADMIN, key.role(), AuthMethod.API_KEY, id));
    }

    private Known read(String id, long now) {
        return keys.findById(id)
                .map(k -> new Known(k.getSecretHash(), k.getExpiresAt(),
                        admins.enabledRole(k.getCreatedBy()).map(creator -> Role.lower(creator, k.getRole())).orElse(null),
                        k.getCreatedBy(), now))
                .orElse(new Known("", null, null, null, now));
    }

    /** lastUsedAt is written at most once a minute per key and instance: a key in a loop is not a write per request. */
    private void recordUse(String id, Instant at) {
        Instant previous = lastUseRecorded.get(id);
        if (previous != null && Duration.between(previous, at).compareTo(LAST_USED_RESOLUTION) < 0) {
            return;
        }
        if (previous == null ? lastUseRecorded.putIfAbsent(id, at) == null : lastUseRecorded.replace(id, previous, at)) {
            keys.recordUse(id, at);
        }
    }

    private String newId() {
        char[] id = new char[ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
