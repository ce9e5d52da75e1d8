package io.ftpbridge.ftpserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/** A bad FTP listener setting stops startup with a message that names the property. */
class FtpPropertiesValidationTest {

    @Configuration
    @EnableConfigurationProperties(FtpProperties.class)
    static class Bind {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bind.class);

    @Test
    void defaultsMatchTheContract() {
        runner.run(context -> {
            FtpProperties ftp = context.getBean(FtpProperties.class);
            assertThat(ftp.port()).isEqualTo(2121);
            assertThat(ftp.passivePorts()).isEqualTo("30000-30099");
            assertThat(ftp.activeEnabled()).isTrue();
            assertThat(ftp.activeIpCheck()).isTrue();
            assertThat(ftp.idleTimeout()).hasSeconds(300);
            assertThat(ftp.maxConnections()).isEqualTo(500);
            assertThat(ftp.tls().mode()).isEqualTo(FtpProperties.TlsMode.NONE);
            assertThat(ftp.tls().required()).isFalse();
            assertThat(ftp.passiveIpCheck()).isTrue();
            assertThat(ftp.loginTimeout()).hasSeconds(30);
            assertThat(ftp.maxConnectionsPerAddress()).isEqualTo(50);
            assertThat(ftp.maxUnauthenticatedConnections()).isEqualTo(100);
            assertThat(ftp.maxConnectionsPerUser()).isEqualTo(10);
        });
    }

    @Test
    void requiringTlsWithoutTlsIsRefused() {
        runner.withPropertyValues("ftpbridge.ftp.tls.required=true").run(context ->
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("ftpbridge.ftp.tls.required needs ftpbridge.ftp.tls.mode"));
    }

    @Test
    void malformedPassivePortsAreRefused() {
        runner.withPropertyValues("ftpbridge.ftp.passive-ports=30000-abc").run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("ftpbridge.ftp.passive-ports")
                        .hasMessageContaining("must be a port range"));
    }

    @Test
    void portsBeyond65535AreRefused() {
        runner.withPropertyValues("ftpbridge.ftp.passive-ports=70000-70010").run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("70000 is not a port"));
        runner.withPropertyValues("ftpbridge.ftp.port=70000").run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("ftpbridge.ftp.port"));
    }

    @Test
    void tlsWithoutAKeystoreIsRefused() {
        runner.withPropertyValues("ftpbridge.ftp.tls.mode=explicit").run(context ->
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("ftpbridge.ftp.tls.keystore must be set"));
    }
}
