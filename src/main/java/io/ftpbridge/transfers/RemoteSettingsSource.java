package io.ftpbridge.transfers;

import io.ftpbridge.remotes.RemoteSettings;

/** Where transfer jobs get a remote's connection settings; the remotes feature's service provides them. */
interface RemoteSettingsSource {

    /** The remote's settings with its password decrypted; throws NotFoundException for an unknown name. */
    RemoteSettings connectionSettings(String name);
}
