package io.ftpbridge.folders;

import java.util.List;

/** Tells which users mount a folder; implemented by the users feature so folders need not know users. */
public interface MountLookup {

    List<String> usersMounting(String folderName);
}
