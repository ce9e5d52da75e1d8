package io.ftpbridge.transfers;

import io.ftpbridge.remotes.RemoteSession;
import java.io.IOException;

/** A file that cannot be transferred however often we retry (550, a checksum mismatch, exists). */
final class FileFailure extends Exception {

    FileFailure(String message) {
        super(message);
    }

    /** A refused command: 5xx is the file's fault and final, anything else is worth a retry. */
    static IOException of(RemoteSession.Refused refused) throws FileFailure {
        if (refused.permanent()) {
            throw new FileFailure(refused.getMessage());
        }
        return new IOException(refused.what() + " failed: " + refused.reply());
    }
}
