package io.ftpbridge.remotes;

import io.ftpbridge.web.ServiceUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
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
 */
@Component
public class RemoteClientPools implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RemoteClientPools.class);

    private final RemoteService remotes;
    private final RemoteConnector connector;
    private final RemoteClientProperties properties;
    private final Map<String, RemotePool> pools = new ConcurrentHashMap<>();

    private record RemotePool(GenericObjectPool<FTPClient> pool, RemoteSettings settings) {
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
        private final GenericObjectPool<FTPClient> pool;
        private final RemoteSettings settings;
        private final FTPClient client;
        private boolean broken;
        private boolean closed;

        private Lease(String remote, RemotePool pool, FTPClient client) {
            this.remote = remote;
            this.pool = pool.pool();
            this.settings = pool.settings();
            this.client = client;
        }

        /** The settings the connection was made with (never logged: the password is in them). */
        RemoteSettings settings() {
            return settings;
        }

        public FTPClient client() {
            return client;
        }

        public String remote() {
            return remote;
        }

        /** Marks the connection unusable: it will be closed instead of returned. */
        public void broken() {
            this.broken = true;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (broken || !client.isConnected()) {
                    pool.invalidateObject(client);
                } else {
                    pool.returnObject(client);
                }
            } catch (Exception e) {
                log.debug("Returning a client of remote {} failed: {}", remote, e.toString());
            }
        }
    }

    /** Borrows a logged-in client of the named remote, connecting a new one if none is idle. */
    public Lease borrow(String name) {
        RemotePool remotePool = pools.computeIfAbsent(name, this::newPool);
        GenericObjectPool<FTPClient> pool = remotePool.pool();
        try {
            return new Lease(name, remotePool, pool.borrowObject());
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

    public PoolStats stats(String name) {
        RemotePool remotePool = pools.get(name);
        if (remotePool == null) {
            return new PoolStats(0, 0, remotes.connectionSettings(name).maxConnections(), 0, 0, 0);
        }
        GenericObjectPool<FTPClient> pool = remotePool.pool();
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
        RemoteSettings settings = remotes.connectionSettings(name);
        GenericObjectPoolConfig<FTPClient> config = new GenericObjectPoolConfig<>();
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
    private final class ClientFactory extends BasePooledObjectFactory<FTPClient> {
        private final RemoteSettings settings;

        ClientFactory(RemoteSettings settings) {
            this.settings = settings;
        }

        @Override
        public FTPClient create() throws IOException {
            ControlTranscript transcript = new ControlTranscript(line -> {
                if (log.isDebugEnabled()) {
                    log.debug("Remote control: remote={} {}", settings.name(), line);
                }
            });
            return connector.connect(settings, null, transcript);
        }

        @Override
        public PooledObject<FTPClient> wrap(FTPClient client) {
            return new DefaultPooledObject<>(client);
        }

        @Override
        public boolean validateObject(PooledObject<FTPClient> pooled) {
            FTPClient client = pooled.getObject();
            try {
                return client.isConnected() && client.sendNoOp();
            } catch (IOException e) {
                log.info("Pooled connection dropped: remote={} host={} error={}", settings.name(), settings.host(), e.toString());
                return false;
            }
        }

        @Override
        public void destroyObject(PooledObject<FTPClient> pooled) {
            RemoteConnector.disconnectQuietly(pooled.getObject());
        }
    }
}
