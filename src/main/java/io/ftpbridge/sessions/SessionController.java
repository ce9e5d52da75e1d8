package io.ftpbridge.sessions;

import io.ftpbridge.ftpserver.FtpSessionSnapshot;
import io.ftpbridge.ftpserver.FtpSessions;
import io.ftpbridge.web.InvalidRequestException;
import io.ftpbridge.web.NotFoundException;
import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
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
@Tag(name = "Sessions", description = "Live sessions on the embedded FTP server")
public class SessionController {

    private final FtpSessions sessions;

    public SessionController(FtpSessions sessions) {
        this.sessions = sessions;
    }

    @GetMapping
    @Operation(summary = "List open FTP sessions, oldest first, paged")
    public PageResponse<FtpSessionSnapshot> list(@RequestParam(defaultValue = "0") int page,
                                                 @RequestParam(defaultValue = "50") int size) {
        PageRequest request = PageRequests.of(page, size, Sort.unsorted());
        List<FtpSessionSnapshot> all = sessions.list();
        int from = (int) Math.min(request.getOffset(), all.size());
        int to = Math.min(from + size, all.size());
        return PageResponse.of(new PageImpl<>(all.subList(from, to), request, all.size()), s -> s);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Disconnect a session: its control and data connections are closed")
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
