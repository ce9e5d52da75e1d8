package io.ftpbridge.events;

/** How the actor reached ftpbridge: an FTP session, the REST API, or a background job (transfers, rule actions). */
public enum EventProtocol {
    FTP, REST, JOB;

    static EventProtocol of(String name) {
        if (name == null) {
            return null;
        }
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
