package io.ftpbridge.admins;

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
@RequestMapping("/api/v1/admins")
@Tag(name = "Administrators", description = "REST administrator accounts and their roles (ADMIN, OPERATOR, VIEWER)")
public class AdminController {

    private final AdminService admins;

    public AdminController(AdminService admins) {
        this.admins = admins;
    }

    @PostMapping
    @Operation(summary = "Create an administrator")
    public ResponseEntity<AdminResponse> create(@Valid @RequestBody AdminRequest request) {
        AdminResponse created = admins.create(request);
        return ResponseEntity.created(URI.create("/api/v1/admins/" + created.username())).body(created);
    }

    @GetMapping
    @Operation(summary = "List administrators, paged by username")
    public PageResponse<AdminResponse> list(@RequestParam(defaultValue = "0") int page,
                                            @RequestParam(defaultValue = "50") int size) {
        return admins.list(page, size);
    }

    @GetMapping("/{username}")
    @Operation(summary = "Get an administrator")
    public AdminResponse get(@PathVariable String username) {
        return admins.get(username);
    }

    @PutMapping("/{username}")
    @Operation(summary = "Replace an administrator (a missing password keeps the current one)",
            description = "409 if this would leave no enabled ADMIN.")
    public AdminResponse replace(@PathVariable String username, @Valid @RequestBody AdminRequest request) {
        return admins.replace(username, request);
    }

    @PatchMapping("/{username}")
    @Operation(summary = "Change some fields of an administrator", description = "409 if this would leave no enabled ADMIN.")
    public AdminResponse patch(@PathVariable String username, @Valid @RequestBody AdminPatch patch) {
        return admins.patch(username, patch);
    }

    @DeleteMapping("/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an administrator", description = "409 for the last enabled ADMIN.")
    public void delete(@PathVariable String username) {
        admins.delete(username);
    }
}
