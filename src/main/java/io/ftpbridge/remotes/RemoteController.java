package io.ftpbridge.remotes;

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
@RequestMapping("/api/v1/remotes")
@Tag(name = "Remotes", description = "Remote FTP servers ftpbridge connects to as a client")
public class RemoteController {

    private final RemoteService remotes;

    public RemoteController(RemoteService remotes) {
        this.remotes = remotes;
    }

    @PostMapping
    @Operation(summary = "Create a remote server profile (the password is stored encrypted, never returned)")
    public ResponseEntity<RemoteResponse> create(@Valid @RequestBody RemoteRequest request) {
        RemoteResponse created = remotes.create(request);
        return ResponseEntity.created(URI.create("/api/v1/remotes/" + created.name())).body(created);
    }

    @GetMapping
    @Operation(summary = "List remotes, paged by name")
    public PageResponse<RemoteResponse> list(@RequestParam(defaultValue = "0") int page,
                                             @RequestParam(defaultValue = "50") int size) {
        return remotes.list(page, size);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Get a remote")
    public RemoteResponse get(@PathVariable String name) {
        return remotes.get(name);
    }

    @PutMapping("/{name}")
    @Operation(summary = "Replace a remote's settings (an absent password keeps the stored one); its pool is rebuilt")
    public RemoteResponse replace(@PathVariable String name, @Valid @RequestBody RemoteRequest request) {
        return remotes.replace(name, request);
    }

    @PatchMapping("/{name}")
    @Operation(summary = "Change some of a remote's settings; its pool is rebuilt")
    public RemoteResponse patch(@PathVariable String name, @Valid @RequestBody RemotePatch patch) {
        return remotes.patch(name, patch);
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a remote and close its pooled connections")
    public void delete(@PathVariable String name) {
        remotes.delete(name);
    }
}
