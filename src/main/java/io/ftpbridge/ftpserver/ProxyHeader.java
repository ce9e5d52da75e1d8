package io.ftpbridge.ftpserver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PROXY protocol header (HAProxy's, versions 1 and 2) a TCP proxy sends before the client's
 * bytes: parsed from what has arrived so far, never reading a byte beyond it.
 */
final class ProxyHeader {

    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final int V1_MAX = 107;
    private static final int V2_MAX = 16 + 1024;
    private static final Pattern V1 = Pattern.compile(
            "^PROXY (?:UNKNOWN(?: .*)?|(TCP4|TCP6) (\\S+) (\\S+) (\\d{1,5}) (\\d{1,5}))\r\n$");

    enum Status { INCOMPLETE, INVALID, COMPLETE }

    /**
     * @param source   the client's address; null for a header that speaks for the proxy itself
     *                 (v2 LOCAL, v1 UNKNOWN, an address family other than TCP over IPv4/IPv6)
     * @param length   bytes the header took
     * @param problem  why an INVALID header is invalid
     */
    record Result(Status status, InetSocketAddress source, int length, String problem) {
        static Result incomplete() {
            return new Result(Status.INCOMPLETE, null, 0, null);
        }

        static Result invalid(String problem) {
            return new Result(Status.INVALID, null, 0, problem);
        }
    }

    private ProxyHeader() {
    }

    /** True when the bytes so far could begin a PROXY header (v1 or v2). */
    static boolean mayStartHeader(byte[] data, int length) {
        return prefixOf(V1_PREFIX, data, length) || prefixOf(V2_SIGNATURE, data, length);
    }

    static Result parse(byte[] data, int length) {
        if (length == 0) {
            return Result.incomplete();
        }
        if (prefixOf(V2_SIGNATURE, data, length)) {
            return length < V2_SIGNATURE.length ? Result.incomplete() : parseV2(data, length);
        }
        if (prefixOf(V1_PREFIX, data, length)) {
            return length < V1_PREFIX.length ? Result.incomplete() : parseV1(data, length);
        }
        return Result.invalid("no PROXY header");
    }

    private static Result parseV1(byte[] data, int length) {
        int end = -1;
        for (int i = 1; i < Math.min(length, V1_MAX); i++) {
            if (data[i - 1] == '\r' && data[i] == '\n') {
                end = i + 1;
                break;
            }
        }
        if (end < 0) {
            return length >= V1_MAX ? Result.invalid("v1 header longer than 107 bytes") : Result.incomplete();
        }
        String line = new String(data, 0, end, StandardCharsets.US_ASCII);
        Matcher m = V1.matcher(line);
        if (!m.matches()) {
            return Result.invalid("malformed v1 header");
        }
        if (m.group(1) == null) {
            return new Result(Status.COMPLETE, null, end, null);
        }
        boolean v4 = m.group(1).equals("TCP4");
        InetAddress source = literal(m.group(2), v4);
        InetAddress destination = literal(m.group(3), v4);
        int sourcePort = Integer.parseInt(m.group(4));
        int destinationPort = Integer.parseInt(m.group(5));
        if (source == null || destination == null || sourcePort > 65535 || destinationPort > 65535) {
            return Result.invalid("malformed v1 address or port");
        }
        return new Result(Status.COMPLETE, new InetSocketAddress(source, sourcePort), end, null);
    }

    private static Result parseV2(byte[] data, int length) {
        if (length < 16) {
            return Result.incomplete();
        }
        int versionCommand = data[12] & 0xFF;
        if (versionCommand >> 4 != 2 || (versionCommand & 0x0F) > 1) {
            return Result.invalid("unknown v2 version or command");
        }
        int family = data[13] & 0xFF;
        int addressLength = ((data[14] & 0xFF) << 8) | (data[15] & 0xFF);
        int total = 16 + addressLength;
        if (total > V2_MAX) {
            return Result.invalid("v2 header longer than " + V2_MAX + " bytes");
        }
        if (length < total) {
            return Result.incomplete();
        }
        boolean local = (versionCommand & 0x0F) == 0;
        if (local) {
            return new Result(Status.COMPLETE, null, total, null);
        }
        try {
            switch (family) {
                case 0x11 -> {
                    if (addressLength < 12) {
                        return Result.invalid("v2 TCP4 addresses too short");
                    }
                    InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(data, 16, 20));
                    int port = ((data[24] & 0xFF) << 8) | (data[25] & 0xFF);
                    return new Result(Status.COMPLETE, new InetSocketAddress(source, port), total, null);
                }
                case 0x21 -> {
                    if (addressLength < 36) {
                        return Result.invalid("v2 TCP6 addresses too short");
                    }
                    InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(data, 16, 32));
                    int port = ((data[48] & 0xFF) << 8) | (data[49] & 0xFF);
                    return new Result(Status.COMPLETE, new InetSocketAddress(source, port), total, null);
                }
                default -> {
                    // UNSPEC, UDP or UNIX: the proxy speaks for itself
                    return new Result(Status.COMPLETE, null, total, null);
                }
            }
        } catch (UnknownHostException e) {
            return Result.invalid("v2 address");
        }
    }

    private static InetAddress literal(String text, boolean v4) {
        if (v4 ? !text.matches("\\d{1,3}(\\.\\d{1,3}){3}") : !text.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return null;
        }
        if (v4 && Arrays.stream(text.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)) {
            return null; // InetAddress would look such a name up in the DNS
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean prefixOf(byte[] prefix, byte[] data, int length) {
        int n = Math.min(prefix.length, length);
        for (int i = 0; i < n; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
