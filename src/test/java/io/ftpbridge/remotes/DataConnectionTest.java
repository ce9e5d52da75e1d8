package io.ftpbridge.remotes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data connection transfer jobs use: real loopback sockets made by the connector's channel
 * socket factory, a peer that sends, stalls or stops reading.
 */
class DataConnectionTest {

    @TempDir
    Path dir;

    @Test
    void aFileGoesOutThroughADirectBufferAndComesBackThroughTheChannelByteForByte() throws Exception {
        byte[] bytes = new byte[5 * 1024 * 1024 + 123];
        new Random(7).nextBytes(bytes);
        Path file = dir.resolve("out.bin");
        Files.write(file, bytes);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                 DataConnection data = DataConnection.ofChannel(connect(server), 5000)) {
                assertThat(data.direct()).isTrue();
                ByteBuffer buffer = ByteBuffer.allocateDirect(1024 * 1024);
                long at = 0;
                while (at < channel.size()) {
                    at += data.send(channel, at, 1024 * 1024, buffer);
                }
            }
            assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(bytes);
        }

        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
                    out.write(bytes);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            ByteBuffer all = ByteBuffer.allocate(bytes.length + 1);
            ByteBuffer chunk = ByteBuffer.allocateDirect(256 * 1024);
            try (DataConnection data = DataConnection.ofChannel(connect(server), 5000)) {
                while (data.read(chunk) >= 0) {
                    all.put(chunk.flip());
                    chunk.clear();
                }
            }
            assertThat(all.flip().remaining()).isEqualTo(bytes.length);
            byte[] got = new byte[bytes.length];
            all.get(got);
            assertThat(got).isEqualTo(bytes);
        }
    }

    @Test
    void aPeerThatStallsFailsTheReadAfterTheTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            try (DataConnection data = DataConnection.ofChannel(connect(server), 300);
                 Socket peer = server.accept()) {
                peer.getOutputStream().write(new byte[] {1, 2, 3});
                ByteBuffer buffer = ByteBuffer.allocateDirect(1024);
                assertThat(data.read(buffer)).isEqualTo(3);
                long start = System.nanoTime();
                assertThatThrownBy(() -> data.read(buffer)).isInstanceOf(SocketTimeoutException.class);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 5000L);
            }
        }
    }

    @Test
    void aPeerThatStopsReadingFailsTheSendAfterTheTimeout() throws Exception {
        Path file = dir.resolve("big.bin");
        Files.write(file, new byte[64 * 1024 * 1024]);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            try (DataConnection data = DataConnection.ofChannel(connect(server), 300);
                 Socket peer = server.accept()) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(1024 * 1024);
                assertThatThrownBy(() -> {
                    long at = 0;
                    while (at < channel.size()) {
                        at += data.send(channel, at, 1024 * 1024, buffer);
                    }
                }).isInstanceOf(SocketTimeoutException.class);
                assertThat(peer.isConnected()).isTrue();
            }
        }
    }

    @Test
    void closingFromAnotherThreadEndsAWaitingReadAtOnce() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DataConnection data = DataConnection.ofChannel(connect(server), 60_000);
            try (Socket peer = server.accept()) {
                CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
                    try {
                        data.read(ByteBuffer.allocateDirect(1024));
                        return null;
                    } catch (IOException e) {
                        return e;
                    }
                });
                Thread.sleep(200);
                long start = System.nanoTime();
                data.close();
                assertThat(reader.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000L);
            }
        }
    }

    @Test
    void aSocketWithoutAChannelIsLeftToTheStreams() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket plain = new Socket(server.getInetAddress(), server.getLocalPort())) {
            assertThat(DataConnection.ofChannel(plain, 1000)).isNull();
        }
    }

    private static Socket connect(ServerSocket server) throws IOException {
        return RemoteConnector.ChannelSocketFactory.INSTANCE.createSocket(server.getInetAddress(), server.getLocalPort());
    }
}
