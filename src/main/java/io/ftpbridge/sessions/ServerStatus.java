package io.ftpbridge.sessions;

import io.swagger.v3.oas.annotations.media.Schema;
/** {@code GET /api/v1/server}: the FTP listener's facts and the service's version. */
public record ServerStatus(Ftp ftp, String version) {

    /**
     * @param running  additive: whether the listener accepts connections now
     * @param sessions open control connections
     */
    public record Ftp(int port, String passivePorts, @Schema(nullable = true) String passiveExternalAddress, String tls,
                      int sessions, boolean running, @Schema(nullable = true) String bindAddress, boolean activeEnabled) {
    }
}
