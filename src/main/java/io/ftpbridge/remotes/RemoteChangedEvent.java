package io.ftpbridge.remotes;

/** A remote's settings changed or it was deleted: its pooled connections are stale. */
record RemoteChangedEvent(String name, boolean deleted) {
}
