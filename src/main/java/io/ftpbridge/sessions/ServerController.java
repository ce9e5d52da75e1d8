package io.ftpbridge.sessions;

import io.ftpbridge.ftpserver.FtpProperties;
import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/server")
@Tag(name = "Server", description = "The embedded FTP server's listener and the service version")
public class ServerController {

    private final FtpServerLifecycle ftp;
    private final String version;

    public ServerController(FtpServerLifecycle ftp, ObjectProvider<BuildProperties> build) {
        this.ftp = ftp;
        BuildProperties properties = build.getIfAvailable();
        String fromManifest = ServerController.class.getPackage().getImplementationVersion();
        this.version = properties != null ? properties.getVersion() : fromManifest != null ? fromManifest : "unknown";
    }

    @GetMapping
    @Operation(summary = "Listener facts (port, passive ports, external address, TLS mode, sessions) and version")
    public ServerStatus status() {
        FtpProperties p = ftp.properties();
        boolean running = ftp.isRunning();
        ServerStatus.Ftp listener = new ServerStatus.Ftp(ftp.port(), p.passivePorts(), p.passiveExternalAddress(),
                p.tls().mode().name(), running ? ftp.sessions().size() : 0, running, p.bindAddress(), p.activeEnabled());
        return new ServerStatus(listener, version);
    }
}
