package io.ftpbridge.events;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** {@link EventRetentionTest} on H2, the default database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ftpbridge.test.h2=true")
@ActiveProfiles("test")
class EventRetentionOnH2Test extends EventRetentionTest {

    @Override
    String database() {
        return "H2";
    }
}
