package io.ftpbridge.sessions;

import io.ftpbridge.ftpserver.FtpSessionSnapshot;
import io.ftpbridge.web.InvalidRequestException;
import io.ftpbridge.web.NotFoundException;
import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
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
@RequestMapping("/api/v1/sessions")
@Tag(name = "Sessions", description = "Live sessions on the FTP servers of every instance sharing the database")
public class SessionController {

    private final SessionRegistry sessions;

    public SessionController(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    @GetMapping
    @Operation(summary = "List open FTP sessions of every instance, oldest first, paged",
            description = "This instance's sessions as they are now; other instances' as of their last heartbeat.")
    public PageResponse<FtpSessionSnapshot> list(@RequestParam(defaultValue = "0") int page,
                                                 @RequestParam(defaultValue = "50") int size) {
        PageRequest request = PageRequests.of(page, size, Sort.unsorted());
        if (request.getOffset() > Integer.MAX_VALUE - size) {
            throw new InvalidRequestException("page", "is too large");
        }
        SessionRegistry.Page found = sessions.page((int) request.getOffset(), size);
        return PageResponse.of(new PageImpl<>(found.items(), request, found.total()), s -> s);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Disconnect a session: its control and data connections are closed",
            description = "A session of another instance is closed by that instance within two heartbeats.")
    public void disconnect(@PathVariable String id) {
        UUID sessionId;
        try {
            sessionId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("id", "must be a session id (a UUID)");
        }
        if (!sessions.disconnect(sessionId)) {
            throw new NotFoundException("FTP session '%s' is not open".formatted(id));
        }
    }
}
