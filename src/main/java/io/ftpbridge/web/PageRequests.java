package io.ftpbridge.web;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** Checks {@code ?page=&size=} and turns them into a {@link PageRequest}. */
public final class PageRequests {

    public static final int MAX_SIZE = 500;

    private PageRequests() {
    }

    public static PageRequest of(int page, int size, Sort sort) {
        if (page < 0) {
            throw new InvalidRequestException("page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidRequestException("size", "must be between 1 and " + MAX_SIZE);
        }
        // databases take the offset as an int: page x size past it would wrap around (a 500)
        if ((long) page * size > Integer.MAX_VALUE) {
            throw new InvalidRequestException("page", "page x size must not exceed " + Integer.MAX_VALUE);
        }
        return PageRequest.of(page, size, sort);
    }
}
