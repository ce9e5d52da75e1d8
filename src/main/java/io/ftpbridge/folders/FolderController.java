package io.ftpbridge.folders;

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
@RequestMapping("/api/v1/folders")
@Tag(name = "Folders", description = "Virtual folders: storage that FTP users mount")
public class FolderController {

    private final FolderService folders;

    public FolderController(FolderService folders) {
        this.folders = folders;
    }

    @PostMapping
    @Operation(summary = "Create a folder")
    public ResponseEntity<FolderResponse> create(@Valid @RequestBody FolderRequest request) {
        FolderResponse created = folders.create(request);
        return ResponseEntity.created(URI.create("/api/v1/folders/" + created.name())).body(created);
    }

    @GetMapping
    @Operation(summary = "List folders, paged by name")
    public PageResponse<FolderResponse> list(@RequestParam(defaultValue = "0") int page,
                                             @RequestParam(defaultValue = "50") int size) {
        return folders.list(page, size);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Get a folder with its current usage")
    public FolderResponse get(@PathVariable String name) {
        return folders.get(name);
    }

    @PutMapping("/{name}")
    @Operation(summary = "Replace a folder's settings (the name cannot change)")
    public FolderResponse replace(@PathVariable String name, @Valid @RequestBody FolderRequest request) {
        return folders.replace(name, request);
    }

    @PatchMapping("/{name}")
    @Operation(summary = "Change some of a folder's settings")
    public FolderResponse patch(@PathVariable String name, @Valid @RequestBody FolderPatch patch) {
        return folders.patch(name, patch);
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a folder no user mounts (409 otherwise); files are kept unless deleteFiles=true")
    public void delete(@PathVariable String name, @RequestParam(defaultValue = "false") boolean deleteFiles) {
        folders.delete(name, deleteFiles);
    }
}
