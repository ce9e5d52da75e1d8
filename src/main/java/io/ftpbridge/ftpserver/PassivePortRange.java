package io.ftpbridge.ftpserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The passive ports of {@code ftpbridge.ftp.passive-ports}. A port is taken by binding it on the
 * passive address itself (not, as MINA checks, on every address: a proxy on the same host may
 * hold the same numbers on another address), and given back by closing the socket.
 */
final class PassivePortRange {

    private final int[] ports;
    private final AtomicInteger next = new AtomicInteger();

    PassivePortRange(String spec) {
        Set<Integer> all = new LinkedHashSet<>();
        for (String part : spec.replace(" ", "").split(",")) {
            String[] bounds = part.split("-");
            int from = Integer.parseInt(bounds[0]);
            int to = bounds.length > 1 ? Integer.parseInt(bounds[1]) : from;
            for (int port = Math.min(from, to); port <= Math.max(from, to); port++) {
                all.add(port);
            }
        }
        this.ports = all.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A listening socket on a free passive port of {@code address}, or null when every port is taken. */
    ServerSocket bind(InetAddress address) {
        int start = Math.floorMod(next.getAndIncrement(), ports.length);
        for (int i = 0; i < ports.length; i++) {
            int port = ports[(start + i) % ports.length];
            try {
                return new ServerSocket(port, 0, address);
            } catch (IOException taken) {
                // in use by another session or process: the next one
            }
        }
        return null;
    }
}
