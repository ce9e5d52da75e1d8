package io.ftpbridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Every way of authenticating over REST publishes Spring Security's standard events with the
 * client's address: what a login guard counts per address and account.
 */
@FtpBridgeTest
class RestLoginEventsTest {

    @LocalServerPort
    int port;

    @Autowired
    ConfigurableApplicationContext context;

    final List<AbstractAuthenticationEvent> events = new CopyOnWriteArrayList<>();
    final ApplicationListener<AbstractAuthenticationEvent> listener = events::add;

    @BeforeEach
    void listen() {
        context.addApplicationListener(listener);
    }

    @AfterEach
    void stopListening() {
        context.removeApplicationListener(listener);
    }

    @Test
    void wrongBasicCredentialsKeysAndTokensPublishBadCredentialsEventsWithTheAddress() {
        Api api = new Api(port);
        assertThat(api.as("admin", "wrong-password-x").get("/api/v1/users").status()).isEqualTo(401);
        assertThat(api.bearer("fbk_aaaaaaaaaaaa_not-a-real-key-at-all").get("/api/v1/users").status()).isEqualTo(401);
        assertThat(api.bearer("eyJhbGciOiJIUzI1NiJ9.e30.bad").get("/api/v1/users").status()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.stream()
                .filter(AuthenticationFailureBadCredentialsEvent.class::isInstance)).hasSize(3));
        assertThat(events).filteredOn(AuthenticationFailureBadCredentialsEvent.class::isInstance)
                .allSatisfy(e -> assertThat(((WebAuthenticationDetails) e.getAuthentication().getDetails()).getRemoteAddress())
                        .isEqualTo("127.0.0.1"));
        assertThat(events).filteredOn(AuthenticationFailureBadCredentialsEvent.class::isInstance)
                .first().satisfies(e -> assertThat(e.getAuthentication().getName()).isEqualTo("admin"));

        assertThat(api.get("/api/v1/users").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(events).anyMatch(e -> e instanceof AuthenticationSuccessEvent
                        && e.getAuthentication().getPrincipal() instanceof Caller caller && caller.username().equals("admin")));
    }
}
