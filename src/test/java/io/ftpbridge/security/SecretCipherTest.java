package io.ftpbridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AES-GCM encryption of remote passwords and where its key comes from. */
class SecretCipherTest {

    @TempDir
    Path dataDir;

    @Test
    void generatedKeyFileIsOwnerOnlyAndReusedAfterARestart() throws Exception {
        Path keyFile = dataDir.resolve("secrets.key");
        String stored = new SecretCipher(new SecretsProperties(null, keyFile)).encrypt("remote-password");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(keyFile))).hasSize(32);
        assertThat(new SecretCipher(new SecretsProperties(null, keyFile)).decrypt(stored)).isEqualTo("remote-password");
    }

    @Test
    void sameValueEncryptsDifferentlyEachTimeAndTamperingIsDetected() {
        SecretCipher cipher = new SecretCipher(new SecretsProperties(key(1), dataDir.resolve("unused")));
        String first = cipher.encrypt("remote-password");
        String second = cipher.encrypt("remote-password");

        assertThat(first).startsWith("v1:").isNotEqualTo(second).doesNotContain("remote-password");
        byte[] raw = Base64.getDecoder().decode(first.substring(3));
        raw[raw.length - 1] ^= 1;
        String tampered = "v1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> cipher.decrypt(tampered)).hasMessageContaining("cannot be decrypted");
        assertThat(Files.exists(dataDir.resolve("unused"))).as("a configured key writes no key file").isFalse();
    }

    @Test
    void anotherKeyCannotDecryptAndSaysWhy() {
        String stored = new SecretCipher(new SecretsProperties(key(1), dataDir.resolve("k"))).encrypt("remote-password");
        SecretCipher other = new SecretCipher(new SecretsProperties(key(2), dataDir.resolve("k")));
        assertThatThrownBy(() -> other.decrypt(stored)).hasMessageContaining("was ftpbridge.secrets.key changed?");
    }

    @Test
    void keyOfTheWrongLengthIsRefusedWithOneClearLine() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> new SecretsProperties(shortKey, dataDir.resolve("k")))
                .hasMessage("ftpbridge.secrets.key must be base64 of 32 bytes (e.g. `openssl rand -base64 32`): got 16 bytes");
        assertThatThrownBy(() -> new SecretsProperties("not base64!", dataDir.resolve("k")))
                .hasMessageContaining("not valid base64");
    }

    private static String key(int seed) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) seed;
        return Base64.getEncoder().encodeToString(bytes);
    }
}
