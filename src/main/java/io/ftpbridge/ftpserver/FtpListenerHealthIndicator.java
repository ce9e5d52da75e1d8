package io.ftpbridge.ftpserver;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** The {@code ftp} component of {@code /actuator/health}: UP while the FTP listener accepts connections. */
@Component("ftpHealthIndicator")
public class FtpListenerHealthIndicator implements HealthIndicator {

    private final FtpServerLifecycle ftp;

    public FtpListenerHealthIndicator(FtpServerLifecycle ftp) {
        this.ftp = ftp;
    }

    @Override
    public Health health() {
        if (!ftp.isRunning()) {
            return Health.down().withDetail("reason", "FTP server is not running").build();
        }
        return Health.up()
                .withDetail("port", ftp.port())
                .withDetail("sessions", ftp.sessions().size())
                .build();
    }
}
