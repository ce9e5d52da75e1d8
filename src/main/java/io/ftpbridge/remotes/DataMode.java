package io.ftpbridge.remotes;

/** The seed's four ways to open a data connection (RFC 959 PORT/PASV, RFC 2428 EPRT/EPSV). */
public enum DataMode { PASV, EPSV, PORT, EPRT;

    public boolean passive() {
        return this == PASV || this == EPSV;
    }
}
