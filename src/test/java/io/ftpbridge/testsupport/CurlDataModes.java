package io.ftpbridge.testsupport;

import java.util.List;

/** The curl options that make it use one FTP data mode: PASV, EPSV, PORT or EPRT. */
public final class CurlDataModes {

    private CurlDataModes() {
    }

    /** Options for {@code mode}; {@code activeAddress} is what curl listens on for PORT/EPRT ({@code -}: the control connection's). */
    public static List<String> options(String mode, String activeAddress) {
        return switch (mode) {
            case "PASV" -> List.of("--disable-epsv");
            case "EPSV" -> List.of("--epsv");
            case "PORT" -> List.of("--ftp-port", activeAddress, "--disable-eprt");
            case "EPRT" -> List.of("--ftp-port", activeAddress, "--eprt");
            default -> throw new IllegalArgumentException(mode);
        };
    }
}
