package io.ftpbridge.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points every "test"-profile context at the tests' PostgreSQL (unless it sets
 * {@code ftpbridge.test.h2}) and at a fresh data directory (unless it sets
 * {@code ftpbridge.test.own-data-dir} and its own {@code ftpbridge.data-dir}).
 */
public class PostgresPropertiesInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        var env = context.getEnvironment();
        if (!env.acceptsProfiles(org.springframework.core.env.Profiles.of("test"))) {
            return;
        }
        TestPropertyValues values = TestPropertyValues.empty();
        if (!env.containsProperty("ftpbridge.test.h2")) {
            PostgresSupport.Database db = PostgresSupport.database();
            values = values.and(Map.of(
                    "spring.datasource.url", db.url(),
                    "spring.datasource.username", db.username(),
                    "spring.datasource.password", db.password()));
        }
        if (!env.containsProperty("ftpbridge.test.own-data-dir")) {
            try {
                values = values.and("ftpbridge.data-dir=" + Files.createTempDirectory("ftpbridge-test-"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        values.applyTo(context);
    }
}
