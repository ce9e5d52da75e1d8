package io.ftpbridge.sessions;

/** {@code GET /api/v1/server}: the FTP listener's facts and the service's version. */
public record ServerStatus(Ftp ftp, String version) {

    /**
     * @param running  additive: whether the listener accepts connections now
     * @param sessions open control connections
     */
    public record Ftp(int port, String passivePorts, String passiveExternalAddress, String tls, int sessions,
                      boolean running, String bindAddress, boolean activeEnabled) {
    }
}
