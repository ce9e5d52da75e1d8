package io.ftpbridge.users;

import io.ftpbridge.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users", description = "FTP accounts of the embedded server and their mounts")
public class UserController {

    private final UserService users;

    public UserController(UserService users) {
        this.users = users;
    }

    @PostMapping
    @Operation(summary = "Create an FTP user")
    public ResponseEntity<UserResponse> create(@Valid @RequestBody UserRequest request) {
        UserResponse created = users.create(request);
        return ResponseEntity.created(URI.create("/api/v1/users/" + created.username())).body(created);
    }

    @GetMapping
    @Operation(summary = "List FTP users, paged by username")
    public PageResponse<UserResponse> list(@RequestParam(defaultValue = "0") int page,
                                           @RequestParam(defaultValue = "50") int size) {
        return users.list(page, size);
    }

    @GetMapping("/{username}")
    @Operation(summary = "Get an FTP user")
    public UserResponse get(@PathVariable String username) {
        return users.get(username);
    }

    @PutMapping("/{username}")
    @Operation(summary = "Replace an FTP user (a missing password keeps the current one)")
    public UserResponse replace(@PathVariable String username, @Valid @RequestBody UserRequest request) {
        return users.replace(username, request);
    }

    @PatchMapping("/{username}")
    @Operation(summary = "Change some fields of an FTP user")
    public UserResponse patch(@PathVariable String username, @Valid @RequestBody UserPatch patch) {
        return users.patch(username, patch);
    }

    @DeleteMapping("/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an FTP user; its sessions end at their next login check")
    public void delete(@PathVariable String username) {
        users.delete(username);
    }
}
