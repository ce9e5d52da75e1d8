package io.ftpbridge.remotes;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.CRC32;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPReply;

/**
 * Asks a remote server for a file's checksum with the first command it offers (HASH, XMD5, XCRC,
 * or MD5 as Apache FtpServer has it) and compares it with a digest of the local bytes.
 */
public final class RemoteChecksums {

    /** Opens the local copy's bytes from the start. */
    public interface LocalBytes {
        InputStream open() throws IOException;
    }

    /** A checksum the server gave: its algorithm (a {@link MessageDigest} name or CRC32) and value. */
    public record RemoteChecksum(String command, String algorithm, String hex) {
    }

    private final FTPClient client;
    private Boolean featuresRead;
    private boolean hash;
    private boolean xmd5;
    private boolean xcrc;
    private boolean md5 = true;

    RemoteChecksums(FTPClient client) {
        this.client = client;
    }

    /** The server's checksum of {@code path}, or null when it offers none. */
    RemoteChecksum remoteChecksum(String path) throws IOException {
        readFeatures();
        if (hash) {
            RemoteChecksum c = ask("HASH", path, null);
            if (c != null) {
                return c;
            }
        }
        if (xmd5) {
            RemoteChecksum c = ask("XMD5", path, "MD5");
            if (c != null) {
                return c;
            }
        }
        if (xcrc) {
            RemoteChecksum c = ask("XCRC", path, "CRC32");
            if (c != null) {
                return c;
            }
        }
        if (md5) {
            RemoteChecksum c = ask("MD5", path, "MD5");
            if (c == null) {
                md5 = false; // not offered: don't ask again on this connection
            }
            return c;
        }
        return null;
    }

    private void readFeatures() throws IOException {
        if (featuresRead != null) {
            return;
        }
        featuresRead = client.features();
        hash = client.hasFeature("HASH");
        xmd5 = client.hasFeature("XMD5");
        xcrc = client.hasFeature("XCRC");
    }

    private RemoteChecksum ask(String command, String path, String algorithm) throws IOException {
        int code = client.sendCommand(command, path);
        if (!FTPReply.isPositiveCompletion(code)) {
            return null;
        }
        String[] lines = client.getReplyStrings();
        // the answer is on the last line; proftpd sends "213-Computing SHA-1 digest" before it
        String reply = lines.length == 0 ? "" : lines[lines.length - 1].trim();
        String[] tokens = reply.split("\\s+");
        String alg = algorithm;
        int from = 1;
        if (alg == null) {
            if (tokens.length < 3) {
                return null;
            }
            alg = tokens[1].toUpperCase(Locale.ROOT);
            from = 2;
        }
        int length = hexLength(alg);
        if (length < 0) {
            return null;
        }
        for (int i = from; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.length() == length && t.matches("[0-9a-fA-F]+")) {
                return new RemoteChecksum(command, alg, t.toLowerCase(Locale.ROOT));
            }
        }
        return null;
    }

    private static int hexLength(String algorithm) {
        return switch (algorithm) {
            case "MD5" -> 32;
            case "SHA-1" -> 40;
            case "SHA-256" -> 64;
            case "SHA-512" -> 128;
            case "CRC32" -> 8;
            default -> -1;
        };
    }

    /** The checksum of local bytes in the algorithm the server used. */
    public static String localChecksum(String algorithm, LocalBytes bytes) throws IOException {
        byte[] buffer = new byte[256 * 1024];
        if (algorithm.equals("CRC32")) {
            CRC32 crc = new CRC32();
            try (InputStream in = bytes.open()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    crc.update(buffer, 0, n);
                }
            }
            return "%08x".formatted(crc.getValue());
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = bytes.open()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
