package io.ftpbridge.remotes;

import java.io.IOException;

/** A remote server refused or broke off what was asked of it. */
public class RemoteException extends IOException {

    private final String remote;

    public RemoteException(String remote, String message) {
        super("remote '%s' %s".formatted(remote, message));
        this.remote = remote;
    }

    public String remote() {
        return remote;
    }
}
