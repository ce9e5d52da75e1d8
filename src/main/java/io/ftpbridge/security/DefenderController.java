package io.ftpbridge.security;

import io.ftpbridge.web.NotFoundException;
import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/defender/bans")
@Tag(name = "Defender")
public class DefenderController {

    private final LoginGuard guard;

    public DefenderController(LoginGuard guard) {
        this.guard = guard;
    }

    @GetMapping
    @Operation(summary = "Addresses refused now after too many failed logins (FTP and REST), paged")
    public PageResponse<LoginGuard.Ban> list(@RequestParam(defaultValue = "0") int page,
                                             @RequestParam(defaultValue = "50") int size) {
        PageRequest request = PageRequests.of(page, size, Sort.unsorted());
        return PageResponse.of(new PageImpl<>(guard.bans((int) request.getOffset(), size), request, guard.banCount()),
                b -> b);
    }

    @DeleteMapping("/{address}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Lift an address's ban and forget its failures, on every instance")
    public void unban(@PathVariable String address) {
        if (!guard.unban(address)) {
            throw new NotFoundException("address '%s' is not banned".formatted(address));
        }
    }
}
