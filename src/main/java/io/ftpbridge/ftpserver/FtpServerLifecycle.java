package io.ftpbridge.ftpserver;

import io.ftpbridge.security.IpLists;
import io.ftpbridge.security.LoginGuard;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.users.UserService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.command.CommandFactoryFactory;
import org.apache.ftpserver.command.impl.AUTH;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpStatistics;
import org.apache.ftpserver.ftplet.Ftplet;
import org.apache.ftpserver.impl.DefaultFtpServer;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The embedded Apache MINA FtpServer, started and stopped with the application context. MINA is
 * wired here only; accounts come from {@link UserService}, files from {@link StorageService}.
 */
@Component
public class FtpServerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FtpServerLifecycle.class);
    private static final String LISTENER = "default";

    private final FtpProperties properties;
    private final UserService users;
    private final StorageService storage;
    private final MeterRegistry meters;
    private final LoginGuard logins;
    private final ApplicationEventPublisher events;
    private final IpLists ipLists;
    private volatile FtpServer server;
    private volatile ConnectionGuard connectionGuard;
    private volatile DataTransfers transfers;
    private volatile int port;
    private boolean metricsBound;

    public FtpServerLifecycle(FtpProperties properties, UserService users, StorageService storage, MeterRegistry meters,
                              LoginGuard logins, IpLists ipLists, ApplicationEventPublisher events) {
        this.events = events;
        this.properties = properties;
        this.users = users;
        this.storage = storage;
        this.meters = meters;
        this.logins = logins;
        this.ipLists = ipLists;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        FtpServer created = build();
        try {
            created.start();
        } catch (FtpException e) {
            throw new IllegalStateException("FTP server could not start on port " + properties.port() + ": " + e.getMessage(), e);
        }
        server = created;
        port = listener().getPort();
        bindMetrics();
        log.info("FTP server listening: port={} bindAddress={} passivePorts={} passiveExternalAddress={} tls={} "
                        + "tlsRequired={} active={} passiveIpCheck={} proxyProtocol={} trustedProxies={}",
                port, properties.bindAddress() == null ? "*" : properties.bindAddress(), properties.passivePorts(),
                properties.passiveExternalAddress() == null ? "-" : properties.passiveExternalAddress(),
                properties.tls().mode(), properties.tls().required(), properties.activeEnabled(),
                properties.passiveIpCheck(), properties.proxyProtocol(), properties.trustedProxies());
    }

    private FtpServer build() {
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassivePorts(properties.passivePorts().replace(" ", ""));
        if (properties.passiveExternalAddress() != null && !properties.passiveExternalAddress().isBlank()) {
            data.setPassiveExternalAddress(properties.passiveExternalAddress());
        }
        if (properties.bindAddress() != null && !properties.bindAddress().isBlank()) {
            data.setPassiveAddress(properties.bindAddress());
        }
        data.setActiveEnabled(properties.activeEnabled());
        // PORT/EPRT targets are checked against the client's address (a proxied one too) by ChannelPolicyFtplet
        data.setActiveIpCheck(false);
        // passive connections are accepted and checked by SameClientDataConnectionFactory, not by MINA
        data.setPassiveIpCheck(false);
        data.setIdleTime((int) Math.max(1, properties.idleTimeout().toSeconds()));

        ListenerFactory listener = new ListenerFactory();
        listener.setPort(properties.port());
        if (properties.bindAddress() != null && !properties.bindAddress().isBlank()) {
            listener.setServerAddress(properties.bindAddress());
        }
        listener.setIdleTimeout((int) Math.max(1, properties.idleTimeout().toSeconds()));
        ConnectionGuard guard = new ConnectionGuard(properties);
        AtomicReference<FtpServerContext> context = new AtomicReference<>();
        PreLoginCommands preLogin = new PreLoginCommands(context::get);
        // MINA takes one session filter: the guard first (it may refuse), then the pre-login commands
        listener.setSessionFilter(session -> guard.accept(session) && preLogin.accept(session));
        FtpProperties.Tls tls = properties.tls();
        if (tls.mode() != FtpProperties.TlsMode.NONE) {
            SslConfigurationFactory ssl = new SslConfigurationFactory();
            ssl.setKeystoreFile(tls.keystore().toFile());
            ssl.setKeystoreType(tls.keystoreType());
            if (tls.keystorePassword() != null) {
                ssl.setKeystorePassword(tls.keystorePassword());
            }
            if (tls.keyPassword() != null) {
                ssl.setKeyPassword(tls.keyPassword());
            }
            // the context's protocol is the newest offered; cipher suites stay the JDK's defaults
            ssl.setSslProtocol("TLSv1.3", "TLSv1.2");
            listener.setSslConfiguration(ssl.createSslConfiguration());
            listener.setImplicitSsl(tls.mode() == FtpProperties.TlsMode.IMPLICIT);
            data.setImplicitSsl(tls.requireDataProtection() || tls.mode() == FtpProperties.TlsMode.IMPLICIT);
        }
        listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());

        ConnectionConfigFactory connections = new ConnectionConfigFactory();
        connections.setAnonymousLoginEnabled(false);
        connections.setMaxLogins(properties.maxConnections());
        connections.setMaxThreads(0);
        // PassCommand applies the login guard's limits and delays
        connections.setMaxLoginFailures(0);
        connections.setLoginFailureDelay(0);

        CommandFactoryFactory commands = new CommandFactoryFactory();
        // data transfers run on their own threads, so ABOR and STAT are read while they run
        transfers = new DataTransfers();
        commands.addCommand("STOR", new UploadCommand(false, transfers));
        commands.addCommand("APPE", new UploadCommand(true, transfers));
        commands.addCommand("RETR", new DownloadCommand(transfers));
        commands.addCommand("REST", new RestartCommand());
        commands.addCommand("FEAT", new FeatCommand(tls.mode() != FtpProperties.TlsMode.NONE));
        commands.addCommand("USER", new NoDelayCommand(new UserCommand(tls.required())));
        commands.addCommand("PASS", new NoDelayCommand(new PassCommand(logins, properties, events)));
        commands.addCommand("AUTH", new NoDelayCommand(new AUTH()));
        CommandTable.register(commands, tls.mode() != FtpProperties.TlsMode.NONE);

        FtpServerFactory factory = new FtpServerFactory();
        factory.addListener(LISTENER, listener.createListener());
        factory.setUserManager(new DatabaseUserManager(users, (int) properties.idleTimeout().toSeconds(), events));
        factory.setFileSystem(new StorageFileSystemFactory(storage));
        factory.setConnectionConfig(connections.createConnectionConfig());
        factory.setCommandFactory(new CommandTable(commands.createCommandFactory()));
        // mutable: MINA clears the ftplet map when the server stops
        Map<String, Ftplet> ftplets = new LinkedHashMap<>();
        ftplets.put("guard", new SessionGuardFtplet(logins, ipLists));
        ftplets.put("channels", new ChannelPolicyFtplet(tls.required(), properties.activeIpCheck()));
        ftplets.put("transfer", new TransferControlFtplet(this::sessions));
        factory.setFtplets(ftplets);
        connectionGuard = guard;
        FtpServer created = factory.createServer();
        guard.serving(((DefaultFtpServer) created).getServerContext());
        context.set(((DefaultFtpServer) created).getServerContext());
        return created;
    }

    private void bindMetrics() {
        if (metricsBound) {
            return;
        }
        metricsBound = true;
        // read through this lifecycle, not a captured FtpStatistics: a restarted server has new statistics
        counter("ftpbridge.ftp.logins", "successful FTP logins", FtpStatistics::getTotalLoginNumber).tag("result", "ok")
                .register(meters);
        counter("ftpbridge.ftp.logins", "refused FTP logins", FtpStatistics::getTotalFailedLoginNumber)
                .tag("result", "failed").register(meters);
        counter("ftpbridge.ftp.bytes", "bytes uploaded to the FTP server", FtpStatistics::getTotalUploadSize)
                .tag("direction", "in").baseUnit("bytes").register(meters);
        counter("ftpbridge.ftp.bytes", "bytes downloaded from the FTP server", FtpStatistics::getTotalDownloadSize)
                .tag("direction", "out").baseUnit("bytes").register(meters);
        counter("ftpbridge.ftp.uploads", "files uploaded over FTP", FtpStatistics::getTotalUploadNumber).register(meters);
        counter("ftpbridge.ftp.downloads", "files downloaded over FTP", FtpStatistics::getTotalDownloadNumber)
                .register(meters);
        Gauge.builder("ftpbridge.ftp.sessions", this, l -> l.isRunning() ? l.sessions().size() : 0)
                .description("open FTP control connections").register(meters);
    }

    private FunctionCounter.Builder<FtpServerLifecycle> counter(String name, String description,
                                                                ToDoubleFunction<FtpStatistics> value) {
        return FunctionCounter.builder(name, this, l -> l.isRunning() ? value.applyAsDouble(l.statistics()) : 0)
                .description(description);
    }

    @Override
    public synchronized void stop() {
        FtpServer running = server;
        if (running != null) {
            running.stop();
            connectionGuard.close();
            transfers.shutdown();
            server = null;
            log.info("FTP server stopped: port={}", port);
        }
    }

    @Override
    public boolean isRunning() {
        return server != null && !server.isStopped();
    }

    @Override
    public int getPhase() {
        // start after the web server and the database, stop before them
        return Integer.MAX_VALUE - 100;
    }

    /** The bound control port (the real one when configured as 0). */
    public int port() {
        return port;
    }

    public FtpProperties properties() {
        return properties;
    }

    /** The open control connections. */
    public Set<FtpIoSession> sessions() {
        FtpServer running = server;
        return running == null ? Set.of() : listener().getActiveSessions();
    }

    public FtpStatistics statistics() {
        return ((DefaultFtpServer) server).getServerContext().getFtpStatistics();
    }

    private Listener listener() {
        return ((DefaultFtpServer) server).getListener(LISTENER);
    }
}
