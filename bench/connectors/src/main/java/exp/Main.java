package exp;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Starts one connector (tomcat or jetty) on a port with one servlet that stores PUT bodies into a file (run.sh). */
public class Main {
    public static class Upload extends HttpServlet {
        final Path file;
        Upload(Path file) { this.file = file; }
        @Override
        protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            long total = 0;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ServletInputStream in = req.getInputStream();
                boolean end = false;
                while (!end) {
                    buf.clear();
                    while (buf.position() < buf.capacity() / 2) {
                        int start = buf.position();
                        int n = in.read(buf);
                        if (n < 0) { end = true; break; }
                        buf.limit(buf.capacity()).position(start + n);
                    }
                    buf.flip();
                    total += buf.remaining();
                    while (buf.hasRemaining()) ch.write(buf);
                }
                ch.truncate(total);
            }
            resp.setStatus(204);
        }
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        Path file = Path.of(args[2]);
        if (kind.equals("tomcat")) {
            org.apache.catalina.startup.Tomcat tomcat = new org.apache.catalina.startup.Tomcat();
            tomcat.setBaseDir(Path.of(args[2]).getParent().resolve("tomcat-base").toString());
            tomcat.setPort(port);
            tomcat.getConnector().setProperty("socket.appReadBufSize", args.length > 3 ? args[3] : "65536");
            var ctx = tomcat.addContext("", null);
            org.apache.catalina.startup.Tomcat.addServlet(ctx, "up", new Upload(file));
            ctx.addServletMappingDecoded("/*", "up");
            tomcat.start();
            tomcat.getServer().await();
        } else {
            org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server();
            org.eclipse.jetty.server.HttpConfiguration config = new org.eclipse.jetty.server.HttpConfiguration();
            config.setInputBufferSize(args.length > 3 ? Integer.parseInt(args[3]) : 65536);
            org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server,
                    new org.eclipse.jetty.server.HttpConnectionFactory(config));
            connector.setPort(port);
            server.addConnector(connector);
            org.eclipse.jetty.ee11.servlet.ServletContextHandler ctx = new org.eclipse.jetty.ee11.servlet.ServletContextHandler("/");
            ctx.addServlet(new org.eclipse.jetty.ee11.servlet.ServletHolder(new Upload(file)), "/*");
            server.setHandler(ctx);
            server.start();
            server.join();
        }
    }
}
