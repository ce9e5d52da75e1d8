package io.ftpbridge.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Ports for the FTP servers tests start, and the check that one is up. */
public final class FtpPorts {

    private FtpPorts() {
    }

    /** A port free on {@code host} right now. */
    public static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        }
    }

    /** Whether an FTP server at host:port accepts a connection and greets it with 220. */
    public static boolean greets(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(2000);
            byte[] greeting = socket.getInputStream().readNBytes(3);
            return new String(greeting, StandardCharsets.US_ASCII).equals("220");
        } catch (IOException e) {
            return false;
        }
    }
}
