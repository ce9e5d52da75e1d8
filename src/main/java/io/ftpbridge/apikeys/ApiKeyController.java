package io.ftpbridge.apikeys;

import io.ftpbridge.security.Caller;
import io.ftpbridge.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/api-keys")
@Tag(name = "API keys", description = "Keys for scripts: `Authorization: Bearer <key>` or `X-API-Key: <key>`")
public class ApiKeyController {

    private final ApiKeyService keys;

    public ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    @PostMapping
    @Operation(summary = "Create an API key; the response is the only one that shows the whole key",
            description = "The role is at most the creator's own (403 otherwise). Created by administrator accounts "
                    + "(HTTP Basic or token), not by API keys.")
    public ResponseEntity<ApiKeyResponse> create(@Valid @RequestBody ApiKeyRequest request) {
        ApiKeyResponse created = keys.create(Caller.current(), request);
        return ResponseEntity.created(URI.create("/api/v1/api-keys/" + created.id())).body(created);
    }

    @GetMapping
    @Operation(summary = "List API keys, without their secrets (ADMIN: every key; others: their own)")
    public PageResponse<ApiKeyResponse> list(@RequestParam(defaultValue = "0") int page,
                                             @RequestParam(defaultValue = "50") int size) {
        return keys.list(Caller.current(), page, size);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke an API key (ADMIN: any; others: their own); every instance refuses it within 5 s")
    public void revoke(@PathVariable String id) {
        keys.revoke(Caller.current(), id);
    }
}
