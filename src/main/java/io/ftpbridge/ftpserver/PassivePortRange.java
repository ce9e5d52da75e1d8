package io.ftpbridge.ftpserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The passive ports of {@code ftpbridge.ftp.passive-ports}. A port is taken by binding it on the
 * passive address itself (not, as MINA checks, on every address: a proxy on the same host may
 * hold the same numbers on another address), and given back by closing the socket. The socket is
 * a channel's, so that the connections it accepts have a {@link java.nio.channels.SocketChannel}
 * for sendfile and direct-buffer copies.
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

    /**
     * How many passive ports lie in the kernel's ephemeral range ({@code ip_local_port_range} in
     * {@code rangeFile}); 0 when they do not or the file cannot be read. An outgoing connection of
     * this host may take such a port as its source, and while it (or its TIME_WAIT) lasts the port
     * cannot be bound for PASV: on loopback most binds then fail.
     */
    long inEphemeralRange(Path rangeFile) {
        try {
            String[] bounds = Files.readString(rangeFile).trim().split("\\s+");
            int low = Integer.parseInt(bounds[0]);
            int high = Integer.parseInt(bounds[1]);
            return Arrays.stream(ports).filter(port -> port >= low && port <= high).count();
        } catch (IOException | RuntimeException unreadable) {
            return 0;
        }
    }

    /** A listening socket on a free passive port of {@code address}, or null when every port is taken. */
    ServerSocket bind(InetAddress address) {
        int start = Math.floorMod(next.getAndIncrement(), ports.length);
        for (int i = 0; i < ports.length; i++) {
            int port = ports[(start + i) % ports.length];
            ServerSocketChannel channel = null;
            try {
                channel = ServerSocketChannel.open();
                channel.bind(new InetSocketAddress(address, port));
                return channel.socket();
            } catch (IOException taken) {
                // in use by another session or process: the next one
                closeQuietly(channel);
            }
        }
        return null;
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // never bound: nothing held
        }
    }
}
