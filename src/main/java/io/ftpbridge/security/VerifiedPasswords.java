package io.ftpbridge.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.event.EventListener;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password checks without an adaptive hash per request (SFTPGo's {@code password_caching}): a
 * password that matched an account's stored hash is remembered for
 * {@code ftpbridge.security.credential-cache-ttl} under HMAC-SHA256(per-process random key,
 * kind ‖ username ‖ password), with the stored hash it matched. The password itself is never kept,
 * and a wrong password is never remembered. An entry counts only while the account's stored hash
 * is still the one it matched, and is forgotten at once on a {@link CredentialsChangedEvent}.
 * Checks of the same password against the same stored hash that arrive while it is being hashed wait for
 * that one hash instead of computing their own: a client that opens eight connections at once, as the
 * entry runs out, costs one adaptive hash, not eight at the same moment.
 */
@Component
public class VerifiedPasswords {

    private record Entry(String storedHash, long expiresAtNanos) {
    }

    private final PasswordEncoder encoder;
    private final long ttlNanos;
    private final byte[] key = new byte[32];
    /** kind:username → (keyed hash → entry), so an account's entries can be forgotten together. */
    private final Map<String, Map<String, Entry>> entries = new ConcurrentHashMap<>();
    /** keyed hash and stored hash → the adaptive hash of that password being computed now. */
    private final Map<String, CompletableFuture<Boolean>> hashing = new ConcurrentHashMap<>();
    private final ThreadLocal<Mac> macs;

    public VerifiedPasswords(PasswordEncoder encoder, AuthProperties properties) {
        this.encoder = encoder;
        this.ttlNanos = properties.credentialCacheTtl().toNanos();
        new SecureRandom().nextBytes(key);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    /**
     * The outcome of a check: whether it matched, and whether this check computed the adaptive hash (not when the
     * password was remembered, nor when it waited for the same password's hash that another check was computing).
     */
    public record Check(boolean matches, boolean fresh) {
    }

    /** Whether {@code password} matches {@code storedHash}, from memory when it matched recently. */
    public Check check(AccountKind kind, String username, String password, String storedHash) {
        if (password == null || storedHash == null) {
            return new Check(false, true);
        }
        if (ttlNanos == 0) {
            return new Check(encoder.matches(password, storedHash), true);
        }
        String account = kind + ":" + username;
        String keyed = keyedHash(account, password);
        Map<String, Entry> known = entries.get(account);
        Entry entry = known == null ? null : known.get(keyed);
        long now = System.nanoTime();
        if (entry != null && now - entry.expiresAtNanos() < 0
                && MessageDigest.isEqual(entry.storedHash().getBytes(StandardCharsets.UTF_8),
                storedHash.getBytes(StandardCharsets.UTF_8))) {
            return new Check(true, false);
        }
        String flight = keyed + " " + storedHash;
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = hashing.putIfAbsent(flight, mine);
        if (running != null) {
            try {
                return new Check(running.join(), false); // the same password and hash: the same answer, hashed once
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        try {
            boolean matches = encoder.matches(password, storedHash);
            if (matches) {
                Map<String, Entry> forAccount = entries.computeIfAbsent(account, a -> new ConcurrentHashMap<>());
                forAccount.values().removeIf(e -> now - e.expiresAtNanos() >= 0);
                forAccount.put(keyed, new Entry(storedHash, now + ttlNanos));
            } else if (known != null) {
                known.remove(keyed);
            }
            mine.complete(matches);
            return new Check(matches, true);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            hashing.remove(flight, mine);
        }
    }

    /**
     * Whether {@code password} matched the stored hash of an account named {@code username} (of
     * either kind) within the time-to-live and has not been forgotten since. It says nothing about
     * the stored hash now: authentication still goes through {@link #check}.
     */
    public boolean remembers(String username, String password) {
        if (ttlNanos == 0 || username == null || password == null) {
            return false;
        }
        long now = System.nanoTime();
        for (AccountKind kind : AccountKind.values()) {
            String account = kind + ":" + username;
            Map<String, Entry> known = entries.get(account);
            Entry entry = known == null ? null : known.get(keyedHash(account, password));
            if (entry != null && now - entry.expiresAtNanos() < 0) {
                return true;
            }
        }
        return false;
    }

    /** Forgets every password remembered for an account. */
    public void forget(AccountKind kind, String username) {
        entries.remove(kind + ":" + username);
    }

    @EventListener
    void on(CredentialsChangedEvent event) {
        forget(event.kind(), event.username());
    }

    private String keyedHash(String account, String password) {
        Mac mac = macs.get();
        mac.update(account.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return HexFormat.of().formatHex(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    }
}
