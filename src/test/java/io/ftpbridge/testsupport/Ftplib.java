package io.ftpbridge.testsupport;

/**
 * Python's ftplib as a real FTP client for tests. Scripts get {@code f} (connected, and logged in
 * when a user is given), {@code sys.argv[1]}/{@code [2]} (host, port) and
 * {@code attempt(label, fn)}, which prints {@code label OK result} or {@code label ERR reply}.
 */
public final class Ftplib {

    private static final String PRELUDE = """
            import ftplib, io, sys
            def attempt(label, fn):
                try:
                    print(label, 'OK', fn())
                except ftplib.all_errors as e:
                    print(label, 'ERR', str(e).splitlines()[0] if str(e) else repr(e))
            def connect():
                c = ftplib.FTP()
                c.connect(sys.argv[1], int(sys.argv[2]), timeout=30)
                return c
            """;

    private Ftplib() {
    }

    /** Runs {@code body} after connecting to 127.0.0.1 and logging in (no login when user is null). */
    public static ExternalCommand.Result run(int port, String user, String password, String body) {
        return run("127.0.0.1", port, user, password, body);
    }

    public static ExternalCommand.Result run(String host, int port, String user, String password, String body) {
        String login = user == null ? "f = connect()\n" : "f = connect()\nf.login('%s', '%s')\n".formatted(user, password);
        return ExternalCommand.python(PRELUDE + login + body + "\n", host, String.valueOf(port));
    }

    /** Runs {@code body} without connecting first: it calls {@code connect()} itself. */
    public static ExternalCommand.Result script(String host, int port, String body) {
        return ExternalCommand.python(PRELUDE + body + "\n", host, String.valueOf(port));
    }
}
