package io.ftpbridge.remotes;

import io.ftpbridge.web.ServiceUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * One Commons Pool of logged-in FTP clients per remote: at most {@code maxConnections}, checked
 * with NOOP before reuse, evicted when idle, a borrow waiting at most {@code connectTimeout}
 * (then 503). Broken clients are invalidated, never returned. A remote's pool is closed when its
 * settings change or it is deleted (the next borrow builds a new one) and all are closed on shutdown.
 * Transfer jobs take their sessions here too ({@link #jobSession}), without waiting.
 */
@Component
public class RemoteClientPools implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RemoteClientPools.class);

    private final RemoteService remotes;
    private final RemoteConnector connector;
    private final RemoteClientProperties properties;
    private final Map<String, RemotePool> pools = new ConcurrentHashMap<>();
    /** Where the control lines of a client the pool opens on a job's borrow go, besides its own record. */
    private static final ThreadLocal<Consumer<String>> OPENING_TRANSCRIPT = new ThreadLocal<>();
    /**
     * Set while a broken client is invalidated: Commons Pool (2.13) then opens a replacement at once, on
     * the invalidating thread; not wanted (a job would reconnect to a server that just failed it before
     * its backoff), so the factory refuses, and the next borrow opens one when it needs one.
     */
    private static final ThreadLocal<Boolean> DISCARDING = new ThreadLocal<>();

    /** The factory's refusal to replace a client while it is being discarded. */
    private static final class NoReplacement extends Exception {
        NoReplacement() {
            super("no replacement for a discarded client", null, false, false);
        }
    }

    private record RemotePool(GenericObjectPool<PooledClient> pool, RemoteSettings settings) {
    }

    /**
     * A pooled client with the control lines that opened it (welcome, login, TYPE) and a switch for
     * where its further lines go: to the transcript of the job holding it, and always to the DEBUG log.
     */
    static final class PooledClient implements Consumer<String> {
        private final String remote;
        private final List<String> opening = new ArrayList<>();
        private final LocalTime openedAt = LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        private volatile boolean opened;
        private volatile Consumer<String> transcript;
        private FTPClient client;

        private PooledClient(String remote, Consumer<String> transcript) {
            this.remote = remote;
            this.transcript = transcript;
        }

        @Override
        public void accept(String line) {
            if (!opened) {
                opening.add(line);
            }
            if (log.isDebugEnabled()) {
                log.debug("Remote control: remote={} {}", remote, line);
            }
            Consumer<String> t = transcript;
            if (t != null) {
                t.accept(line);
            }
        }
    }

    public RemoteClientPools(RemoteService remotes, RemoteConnector connector, RemoteClientProperties properties) {
        this.remotes = remotes;
        this.connector = connector;
        this.properties = properties;
    }

    /** Counters of one remote's pool, as {@code GET /remotes/{name}/pool} shows them. */
    public record PoolStats(int active, int idle, int maxConnections, long created, long destroyed, long borrowed) {
    }

    /**
     * A client borrowed from a pool; {@link #close()} returns it, or destroys it if the work on it
     * failed ({@link #broken()}).
     */
    public final class Lease implements AutoCloseable {
        private final String remote;
        private final GenericObjectPool<PooledClient> pool;
        private final RemoteSettings settings;
        private final PooledClient pooled;
        private boolean broken;
        private boolean closed;

        private Lease(String remote, RemotePool pool, PooledClient pooled) {
            this.remote = remote;
            this.pool = pool.pool();
            this.settings = pool.settings();
            this.pooled = pooled;
        }

        /** The settings the connection was made with (never logged: the password is in them). */
        RemoteSettings settings() {
            return settings;
        }

        public FTPClient client() {
            return pooled.client;
        }

        public String remote() {
            return remote;
        }

        /** Marks the connection unusable: it will be closed instead of returned. */
        public void broken() {
            this.broken = true;
        }

        boolean isBroken() {
            return broken;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (broken || !pooled.client.isConnected()) {
                    DISCARDING.set(Boolean.TRUE);
                    try {
                        pool.invalidateObject(pooled); // its QUIT still goes to the holder's transcript
                    } catch (NoReplacement expected) {
                        // destroyed, and not replaced
                    } finally {
                        DISCARDING.remove();
                        pooled.transcript = null;
                    }
                } else {
                    pooled.transcript = null; // the next holder's lines are not this one's
                    pool.returnObject(pooled);
                }
            } catch (Exception e) {
                pooled.transcript = null;
                log.debug("Returning a client of remote {} failed: {}", remote, e.toString());
            }
        }
    }

    /** Borrows a logged-in client of the named remote, connecting a new one if none is idle. */
    public Lease borrow(String name) {
        RemotePool remotePool = pools.computeIfAbsent(name, this::newPool);
        GenericObjectPool<PooledClient> pool = remotePool.pool();
        try {
            return leased(name, remotePool, pool.borrowObject(), null);
        } catch (NoSuchElementException e) {
            if (e.getCause() != null) {
                throw failure(name, e.getCause());
            }
            log.warn("Remote pool exhausted: remote={} active={} waited={}", name, pool.getNumActive(), pool.getMaxWaitDuration());
            throw new ServiceUnavailableException("remote '%s': all %d connections are busy; none was free within %s"
                    .formatted(name, pool.getMaxTotal(), pool.getMaxWaitDuration()), e);
        } catch (IllegalStateException e) {
            if (!pool.isClosed()) {
                throw failure(name, e);
            }
            // the pool was closed by a settings change between lookup and borrow: use the new one
            pools.remove(name, remotePool);
            return borrow(name);
        } catch (Exception e) {
            throw failure(name, e);
        }
    }

    /** A session on a borrowed client; closing it returns the client (or destroys it when broken). */
    public RemoteSession session(String name) {
        Lease lease = borrow(name);
        return new RemoteSession(name, lease.client(), lease.settings().transferType(), lease);
    }

    /**
     * A session for a transfer job, never waiting for the pool: an idle pooled client (checked with
     * NOOP), or a new one while the pool has room, in either case only while one more connection stays
     * free for browsing; otherwise a connection of the job's own outside the pool, as before pooling.
     * Every control line goes to {@code transcript}; a reused client's opening lines (welcome, login,
     * TYPE) go first, after a {@code # } note, so that the transcript still shows the whole connection.
     * The session's data mode is {@code modeOverride} (or the remote's), its type the remote's. Closing
     * it returns a pooled client unless it was marked {@link RemoteSession#broken()}.
     *
     * @param settings the remote's settings as the job read them: a pool made with other ones is
     *                 replaced (another instance may have changed the remote)
     */
    public RemoteSession jobSession(RemoteSettings settings, DataMode modeOverride, Consumer<String> transcript)
            throws IOException {
        RemotePool remotePool = current(settings);
        GenericObjectPool<PooledClient> pool = remotePool.pool();
        DataMode mode = modeOverride != null ? modeOverride : settings.dataMode();
        if (pool.getNumActive() < pool.getMaxTotal() - 1) {
            PooledClient pooled = null;
            OPENING_TRANSCRIPT.set(transcript);
            try {
                pooled = pool.borrowObject(Duration.ZERO);
            } catch (NoSuchElementException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                // taken meanwhile, or a new client failed its NOOP: a connection of the job's own, below
            } catch (IOException | RuntimeException e) {
                throw e; // the pool's new client could not connect or log in (its lines are in the transcript)
            } catch (Exception e) {
                throw new IOException(e);
            } finally {
                OPENING_TRANSCRIPT.remove();
            }
            if (pooled != null) {
                Lease lease = leased(settings.name(), remotePool, pooled, mode);
                if (pooled.transcript != transcript) { // reused, not opened just now for this job
                    transcript.accept("# reusing the connection to %s:%d opened at %s, checked with NOOP; it opened with:"
                            .formatted(settings.host(), settings.port(), pooled.openedAt));
                    pooled.opening.forEach(transcript);
                    pooled.transcript = transcript;
                }
                return new RemoteSession(settings.name(), pooled.client, settings.transferType(), lease);
            }
        }
        return connector.open(settings, modeOverride, new ControlTranscript(transcript));
    }

    /** A lease of a client just borrowed, its data mode set (the last holder may have used another). */
    private Lease leased(String name, RemotePool remotePool, PooledClient pooled, DataMode mode) throws IOException {
        Lease lease = new Lease(name, remotePool, pooled);
        try {
            connector.applyDataMode(pooled.client, mode != null ? mode : remotePool.settings().dataMode());
        } catch (IOException | RuntimeException e) {
            lease.broken();
            lease.close();
            throw e;
        }
        return lease;
    }

    private RemotePool current(RemoteSettings settings) {
        RemotePool[] replaced = new RemotePool[1];
        RemotePool remotePool = pools.compute(settings.name(), (name, old) -> {
            if (old != null && old.settings().equals(settings) && !old.pool().isClosed()) {
                return old;
            }
            replaced[0] = old;
            return newPool(settings);
        });
        if (replaced[0] != null) {
            replaced[0].pool().close();
            log.info("Remote pool closed: remote={} reason=settings changed", settings.name());
        }
        return remotePool;
    }

    public PoolStats stats(String name) {
        RemotePool remotePool = pools.get(name);
        if (remotePool == null) {
            return new PoolStats(0, 0, remotes.connectionSettings(name).maxConnections(), 0, 0, 0);
        }
        GenericObjectPool<PooledClient> pool = remotePool.pool();
        return new PoolStats(pool.getNumActive(), pool.getNumIdle(), pool.getMaxTotal(), pool.getCreatedCount(),
                pool.getDestroyedCount(), pool.getBorrowedCount());
    }

    /** Turns what went wrong while connecting or talking to a remote into the API's failure. */
    static RemoteOperationException failure(String name, Throwable e) {
        if (e instanceof RemoteOperationException r) {
            return r;
        }
        if (e instanceof RemoteException) {
            String message = e.getMessage().replaceFirst("^remote '[^']*' ", "");
            return new RemoteOperationException(name, RemoteOperationException.Failure.REFUSED, message, e);
        }
        if (e instanceof SocketTimeoutException || e.getCause() instanceof SocketTimeoutException) {
            return new RemoteOperationException(name, RemoteOperationException.Failure.TIMEOUT,
                    "did not answer in time (" + e.getMessage() + ")", e);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException) {
            return new RemoteOperationException(name, RemoteOperationException.Failure.UNREACHABLE,
                    "cannot connect: " + e.getMessage(), e);
        }
        String message = e instanceof IOException ? "connection failed: " + e.getMessage() : e.toString();
        return new RemoteOperationException(name, RemoteOperationException.Failure.REFUSED, message, e);
    }

    @TransactionalEventListener(fallbackExecution = true)
    void remoteChanged(RemoteChangedEvent event) {
        RemotePool pool = pools.remove(event.name());
        if (pool != null) {
            pool.pool().close();
            log.info("Remote pool closed: remote={} reason={}", event.name(), event.deleted() ? "deleted" : "settings changed");
        }
    }

    @Override
    public void destroy() {
        pools.forEach((name, pool) -> pool.pool().close());
        log.info("Remote pools closed: count={}", pools.size());
        pools.clear();
    }

    private RemotePool newPool(String name) {
        return newPool(remotes.connectionSettings(name));
    }

    private RemotePool newPool(RemoteSettings settings) {
        String name = settings.name();
        GenericObjectPoolConfig<PooledClient> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(settings.maxConnections());
        config.setMaxIdle(settings.maxConnections());
        config.setMinIdle(0);
        config.setBlockWhenExhausted(true);
        config.setMaxWait(settings.connectTimeout());
        config.setTestOnBorrow(true);
        config.setTimeBetweenEvictionRuns(properties.evictionInterval());
        config.setMinEvictableIdleDuration(properties.idleTimeout());
        config.setJmxEnabled(false);
        log.info("Remote pool created: remote={} host={} port={} maxConnections={}", name, settings.host(),
                settings.port(), settings.maxConnections());
        return new RemotePool(new GenericObjectPool<>(new ClientFactory(settings), config), settings);
    }

    /** Connects, checks with NOOP, and disconnects the pool's clients. */
    private final class ClientFactory extends BasePooledObjectFactory<PooledClient> {
        private final RemoteSettings settings;

        ClientFactory(RemoteSettings settings) {
            this.settings = settings;
        }

        @Override
        public PooledClient create() throws IOException, NoReplacement {
            if (DISCARDING.get() != null) {
                throw new NoReplacement();
            }
            PooledClient pooled = new PooledClient(settings.name(), OPENING_TRANSCRIPT.get());
            pooled.client = connector.connect(settings, null, new ControlTranscript(pooled));
            pooled.opened = true;
            return pooled;
        }

        @Override
        public PooledObject<PooledClient> wrap(PooledClient client) {
            return new DefaultPooledObject<>(client);
        }

        @Override
        public boolean validateObject(PooledObject<PooledClient> pooled) {
            FTPClient client = pooled.getObject().client;
            try {
                return client.isConnected() && client.sendNoOp();
            } catch (IOException e) {
                log.info("Pooled connection dropped: remote={} host={} error={}", settings.name(), settings.host(), e.toString());
                return false;
            }
        }

        @Override
        public void destroyObject(PooledObject<PooledClient> pooled) {
            RemoteConnector.disconnectQuietly(pooled.getObject().client);
        }
    }
}
