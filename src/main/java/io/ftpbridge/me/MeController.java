package io.ftpbridge.me;

import io.ftpbridge.admins.AdminService;
import io.ftpbridge.folders.FolderResponse;
import io.ftpbridge.folders.FolderService;
import io.ftpbridge.security.AccountKind;
import io.ftpbridge.security.AuthMethod;
import io.ftpbridge.security.Caller;
import io.ftpbridge.users.MountDto;
import io.ftpbridge.users.UserResponse;
import io.ftpbridge.users.UserService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/me")
@Tag(name = "Me", description = "The caller's own account: administrators and FTP users alike")
public class MeController {

    private final UserService users;
    private final FolderService folders;
    private final AdminService admins;

    public MeController(UserService users, FolderService folders, AdminService admins) {
        this.users = users;
        this.folders = folders;
        this.admins = admins;
    }

    @GetMapping
    @Operation(summary = "Who the caller is: kind, role (administrators), mounts and usage (FTP users)")
    public MeResponse me() {
        Caller caller = Caller.current();
        if (caller.kind() != AccountKind.FTP_USER) {
            return new MeResponse(caller.username(), caller.kind(), caller.role(), caller.method(), caller.keyId(), null, null);
        }
        UserResponse user = users.get(caller.username());
        List<MeResponse.FolderUsage> usage = user.mounts().stream().map(MountDto::folder).distinct()
                .map(folders::get)
                .map(MeController::usage)
                .toList();
        return new MeResponse(caller.username(), caller.kind(), null, caller.method(), null, user.mounts(), usage);
    }

    @PutMapping("/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Change the caller's own password, giving the current one",
            description = "Administrators and FTP users, with HTTP Basic or a token (not with an API key). "
                    + "The old password stops working at once.")
    public void changePassword(@Valid @RequestBody PasswordChange change) {
        Caller caller = Caller.current();
        if (caller.method() == AuthMethod.API_KEY) {
            throw new AccessDeniedException("an API key has no password");
        }
        if (caller.kind() == AccountKind.FTP_USER) {
            users.changeOwnPassword(caller.username(), change.currentPassword(), change.newPassword());
        } else {
            admins.changeOwnPassword(caller.username(), change.currentPassword(), change.newPassword());
        }
    }

    private static MeResponse.FolderUsage usage(FolderResponse folder) {
        return new MeResponse.FolderUsage(folder.name(), folder.usage() == null ? 0 : folder.usage().bytes(),
                folder.usage() == null ? 0 : folder.usage().files(), folder.quotaBytes(), folder.quotaFiles());
    }
}
