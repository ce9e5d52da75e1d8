package io.ftpbridge.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Encrypts short secrets (remote passwords) for storage with AES-256-GCM. A stored value is
 * {@code v1:} + base64(12-byte IV ‖ ciphertext ‖ 16-byte tag); a fresh IV per value.
 */
@Component
public class SecretCipher {

    private static final Logger log = LoggerFactory.getLogger(SecretCipher.class);
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(SecretsProperties properties) {
        byte[] bytes = properties.key() != null && !properties.key().isBlank()
                ? SecretsProperties.decode(properties.key(), "ftpbridge.secrets.key")
                : keyFromFile(properties.keyFile());
        this.key = new SecretKeySpec(bytes, "AES");
    }

    /**
     * A key for another purpose derived from the secrets key (HMAC-SHA256 of the purpose, as HKDF's
     * expand step), so every instance sharing {@code ftpbridge.secrets.key} derives the same one.
     */
    public byte[] derivedKey(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(("ftpbridge/" + purpose + "\u0001").getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public String encrypt(String plaintext) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public String decrypt(String stored) {
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalStateException("stored secret has an unknown format");
        }
        byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored secret cannot be decrypted: was ftpbridge.secrets.key changed?", e);
        }
    }

    private static byte[] keyFromFile(Path file) {
        try {
            if (Files.exists(file)) {
                return SecretsProperties.decode(Files.readString(file), "key file " + file);
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            // written whole under a temporary name and moved into place, so a crash or a second
            // instance starting on the same data dir never sees an empty or half-written key
            Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            try {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(temp);
            }
            Files.writeString(temp, Base64.getEncoder().encodeToString(bytes));
            try {
                Files.createLink(file, temp); // atomic, and fails rather than replace another instance's key
            } catch (FileAlreadyExistsException e) {
                return SecretsProperties.decode(Files.readString(file), "key file " + file);
            } finally {
                Files.deleteIfExists(temp);
            }
            log.info("Generated a key for secrets at rest: file={} (back it up; set ftpbridge.secrets.key to supply one)", file);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secrets key file " + file, e);
        }
    }
}
