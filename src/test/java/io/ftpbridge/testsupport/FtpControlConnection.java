package io.ftpbridge.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw FTP control connection over {@link Socket}, for tests that check the exact text of a
 * reply: {@link #send} returns the whole reply, every line, as the server wrote it (CRLF removed).
 */
public final class FtpControlConnection implements AutoCloseable {

    /** One reply: its code and its lines. */
    public record Reply(int code, List<String> lines) {
        public String text() {
            return String.join("\n", lines);
        }

        public String last() {
            return lines.get(lines.size() - 1);
        }
    }

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final Reply greeting;

    public FtpControlConnection(String host, int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(15000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            greeting = read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects and logs in. */
    public static FtpControlConnection login(String host, int port, String user, String password) {
        FtpControlConnection connection = new FtpControlConnection(host, port);
        connection.send("USER " + user);
        Reply reply = connection.send("PASS " + password);
        if (reply.code() != 230) {
            throw new IllegalStateException("login failed: " + reply.text());
        }
        return connection;
    }

    public Reply greeting() {
        return greeting;
    }

    public Reply send(String command) {
        try {
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one more reply (the second of a 150 … 226 pair). */
    public Reply read() {
        try {
            List<String> lines = new ArrayList<>();
            String first = in.readLine();
            if (first == null) {
                throw new IOException("connection closed");
            }
            lines.add(first);
            if (first.length() > 3 && first.charAt(3) == '-') {
                String end = first.substring(0, 3) + " ";
                String line;
                do {
                    line = in.readLine();
                    if (line == null) {
                        throw new IOException("connection closed in a multi-line reply: " + lines);
                    }
                    lines.add(line);
                } while (!line.startsWith(end));
            }
            return new Reply(Integer.parseInt(first.substring(0, 3)), List.copyOf(lines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port of a 229 reply ({@code (|||port|)}). */
    public static int epsvPort(Reply reply) {
        return Integer.parseInt(reply.last().replaceAll(".*\\(\\|\\|\\|(\\d+)\\|\\).*", "$1"));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
