package io.ftpbridge.users;

import io.ftpbridge.folders.MountLookup;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells the folders feature which users mount a folder. A bean of its own (not {@link UserService},
 * which needs folders) so that folders → users → folders is no bean cycle.
 */
@Component
class UserMounts implements MountLookup {

    private final FtpUserRepository users;

    UserMounts(FtpUserRepository users) {
        this.users = users;
    }

    @Override
    @Transactional(readOnly = true)
    public List<String> usersMounting(String folderName) {
        return users.findUsernamesMounting(folderName);
    }
}
