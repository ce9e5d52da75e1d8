package io.ftpbridge.security;

import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/ip-lists")
@Tag(name = "Defender", description = "Allow and deny lists by CIDR and the addresses banned after failed logins, shared by every instance")
public class IpListController {

    private final IpLists ipLists;

    public IpListController(IpLists ipLists) {
        this.ipLists = ipLists;
    }

    @GetMapping
    @Operation(summary = "List allow and deny entries, oldest first, paged")
    public PageResponse<IpListEntry> list(@RequestParam(required = false) IpListEntry.Type type,
                                          @RequestParam(defaultValue = "0") int page,
                                          @RequestParam(defaultValue = "50") int size) {
        PageRequest request = PageRequests.of(page, size, Sort.unsorted());
        List<IpListEntry> all = ipLists.list(type);
        int from = (int) Math.min(request.getOffset(), all.size());
        int to = Math.min(from + size, all.size());
        return PageResponse.of(new PageImpl<>(all.subList(from, to), request, all.size()), e -> e);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One entry")
    public IpListEntry get(@PathVariable long id) {
        return ipLists.get(id);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add an entry: an IPv4 or IPv6 CIDR allowed (never banned) or denied (FTP 421 at connect, REST 403)")
    public IpListEntry create(@RequestBody IpListRequest request) {
        return ipLists.create(request);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Replace an entry")
    public IpListEntry replace(@PathVariable long id, @RequestBody IpListRequest request) {
        return ipLists.replace(id, request);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove an entry")
    public void delete(@PathVariable long id) {
        ipLists.delete(id);
    }
}
