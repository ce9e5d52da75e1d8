package io.ftpbridge.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 network in CIDR notation; a bare address is a network of one. */
public record Cidr(InetAddress network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*$");

    /** Parses {@code 192.0.2.0/24}, {@code 2001:db8::/32} or a single address; never looks up a name. */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must be an IPv4 or IPv6 CIDR such as 192.0.2.0/24 or 2001:db8::/32");
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
        boolean v4 = IPV4.matcher(host).matches();
        if (!v4 && !IPV6.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 CIDR such as 192.0.2.0/24 or 2001:db8::/32");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 CIDR such as 192.0.2.0/24 or 2001:db8::/32");
        }
        if (v4) {
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
                }
            }
        }
        int bits = address.getAddress().length * 8;
        int prefix;
        if (slash < 0) {
            prefix = bits;
        } else {
            String length = trimmed.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("'" + text + "': the prefix length must be 0 to " + bits);
            }
            prefix = Integer.parseInt(length);
        }
        byte[] raw = address.getAddress();
        byte[] masked = mask(raw, prefix);
        if (!java.util.Arrays.equals(raw, masked)) {
            throw new IllegalArgumentException("'" + text + "' has bits set beyond its /" + prefix + " prefix");
        }
        return new Cidr(address, prefix);
    }

    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] candidate = address.getAddress();
        if (candidate.length != network.getAddress().length) {
            return false;
        }
        return java.util.Arrays.equals(mask(candidate, prefix), network.getAddress());
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xFF << (8 - keep));
        }
        return out;
    }
}
