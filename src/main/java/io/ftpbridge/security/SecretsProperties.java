package io.ftpbridge.security;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Base64;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The key that encrypts secrets at rest (remote servers' passwords).
 *
 * @param key     base64 of 32 random bytes (AES-256); if unset, {@code keyFile} is used
 * @param keyFile where a generated key is kept (created owner-only on first start, reused after)
 */
@Validated
@ConfigurationProperties("ftpbridge.secrets")
public record SecretsProperties(String key, @NotNull Path keyFile) {

    public SecretsProperties {
        if (key != null && !key.isBlank()) {
            decode(key, "ftpbridge.secrets.key");
        }
    }

    /** Decodes a base64 AES-256 key, failing with one clear line naming where it came from. */
    static byte[] decode(String base64, String source) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " must be base64 of 32 bytes (e.g. `openssl rand -base64 32`): not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException(source + " must be base64 of 32 bytes (e.g. `openssl rand -base64 32`): got "
                    + bytes.length + " bytes");
        }
        return bytes;
    }
}
