package io.ftpbridge.remotes;

import io.ftpbridge.security.SecretCipher;
import io.ftpbridge.web.ConflictException;
import io.ftpbridge.web.FieldError;
import io.ftpbridge.web.InvalidRequestException;
import io.ftpbridge.web.NotFoundException;
import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Remote server profiles: CRUD, the password encrypted at rest, and decrypted settings for connecting. */
@Service
public class RemoteService {

    private static final Logger log = LoggerFactory.getLogger(RemoteService.class);
    private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    private final RemoteRepository remotes;
    private final SecretCipher cipher;
    private final ApplicationEventPublisher events;

    public RemoteService(RemoteRepository remotes, SecretCipher cipher, ApplicationEventPublisher events) {
        this.remotes = remotes;
        this.cipher = cipher;
        this.events = events;
    }

    @Transactional
    public RemoteResponse create(RemoteRequest request) {
        if (remotes.existsByName(request.name())) {
            throw new ConflictException("name", "remote '%s' already exists".formatted(request.name()));
        }
        Remote remote = new Remote(request.name());
        apply(remote, new RemotePatch(request.host(), request.port(), request.username(), request.password(),
                request.dataMode(), request.tls(), request.transferType(), request.maxConnections(),
                request.connectTimeout(), request.readTimeout()));
        remotes.saveAndFlush(remote);
        log.info("Remote created: name={} host={} port={} user={} dataMode={} tls={}", remote.getName(),
                remote.getHost(), remote.getPort(), remote.getUsername(), remote.getDataMode(), remote.getTls());
        return RemoteResponse.of(remote);
    }

    @Transactional(readOnly = true)
    public RemoteResponse get(String name) {
        return RemoteResponse.of(find(name));
    }

    @Transactional(readOnly = true)
    public PageResponse<RemoteResponse> list(int page, int size) {
        return PageResponse.of(remotes.findAll(PageRequests.of(page, size, Sort.by("name"))), RemoteResponse::of);
    }

    /** Replaces every setting; fields left out return to their defaults, except an absent password, which is kept. */
    @Transactional
    public RemoteResponse replace(String name, RemoteRequest request) {
        if (!name.equals(request.name())) {
            throw new InvalidRequestException("name", "a remote cannot be renamed; the body's name must be '%s'".formatted(name));
        }
        Remote remote = find(name);
        Remote defaults = new Remote(name);
        apply(remote, new RemotePatch(request.host(),
                request.port() != null ? request.port() : defaults.getPort(), request.username(), request.password(),
                request.dataMode() != null ? request.dataMode() : defaults.getDataMode(),
                request.tls() != null ? request.tls() : defaults.getTls(),
                request.transferType() != null ? request.transferType() : defaults.getTransferType(),
                request.maxConnections() != null ? request.maxConnections() : defaults.getMaxConnections(),
                request.connectTimeout() != null ? request.connectTimeout() : defaults.getConnectTimeout(),
                request.readTimeout() != null ? request.readTimeout() : defaults.getReadTimeout()));
        return saved(remote);
    }

    @Transactional
    public RemoteResponse patch(String name, RemotePatch patch) {
        Remote remote = find(name);
        apply(remote, patch);
        return saved(remote);
    }

    @Transactional
    public void delete(String name) {
        Remote remote = find(name);
        remotes.delete(remote);
        remotes.flush();
        events.publishEvent(new RemoteChangedEvent(name, true));
        log.info("Remote deleted: name={}", name);
    }

    @Transactional(readOnly = true)
    public boolean exists(String name) {
        return remotes.existsByName(name);
    }

    /**
     * Everything needed to connect to the remote, with the password decrypted: for the client pool
     * and for transfer jobs only, never for a response or a log line.
     */
    @Transactional(readOnly = true)
    public RemoteSettings connectionSettings(String name) {
        Remote remote = find(name);
        String password = remote.getPasswordEncrypted() == null ? "" : cipher.decrypt(remote.getPasswordEncrypted());
        return new RemoteSettings(remote.getName(), remote.getHost(), remote.getPort(), remote.getUsername(), password,
                remote.getDataMode(), remote.getTls(), remote.getTransferType(), remote.getMaxConnections(),
                remote.getConnectTimeout(), remote.getReadTimeout());
    }

    private void apply(Remote remote, RemotePatch patch) {
        List<FieldError> errors = new ArrayList<>();
        checkTimeout("connectTimeout", patch.connectTimeout(), errors);
        checkTimeout("readTimeout", patch.readTimeout(), errors);
        if (patch.host() != null && patch.host().isBlank()) {
            errors.add(new FieldError("host", "must not be blank"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        if (patch.host() != null) {
            remote.setHost(patch.host().trim());
        }
        if (patch.port() != null) {
            remote.setPort(patch.port());
        }
        if (patch.username() != null) {
            remote.setUsername(patch.username());
        }
        if (patch.password() != null) {
            remote.setPasswordEncrypted(cipher.encrypt(patch.password()));
        }
        if (patch.dataMode() != null) {
            remote.setDataMode(patch.dataMode());
        }
        if (patch.tls() != null) {
            remote.setTls(patch.tls());
        }
        if (patch.transferType() != null) {
            remote.setTransferType(patch.transferType());
        }
        if (patch.maxConnections() != null) {
            remote.setMaxConnections(patch.maxConnections());
        }
        if (patch.connectTimeout() != null) {
            remote.setConnectTimeout(patch.connectTimeout());
        }
        if (patch.readTimeout() != null) {
            remote.setReadTimeout(patch.readTimeout());
        }
    }

    private static void checkTimeout(String field, Duration timeout, List<FieldError> errors) {
        if (timeout != null && (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0)) {
            errors.add(new FieldError(field, "must be between 1ms and 1h"));
        }
    }

    private RemoteResponse saved(Remote remote) {
        remote.touch();
        remotes.saveAndFlush(remote);
        events.publishEvent(new RemoteChangedEvent(remote.getName(), false));
        log.info("Remote updated: name={} host={} port={} user={} dataMode={} tls={}", remote.getName(),
                remote.getHost(), remote.getPort(), remote.getUsername(), remote.getDataMode(), remote.getTls());
        return RemoteResponse.of(remote);
    }

    private Remote find(String name) {
        return remotes.findByName(name)
                .orElseThrow(() -> new NotFoundException("remote '%s' does not exist".formatted(name)));
    }
}
