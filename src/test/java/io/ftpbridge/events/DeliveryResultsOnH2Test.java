package io.ftpbridge.events;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** {@link DeliveryResultsTest} on H2, the default database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "ftpbridge.test.h2=true")
@ActiveProfiles("test")
class DeliveryResultsOnH2Test extends DeliveryResultsTest {

    @Override
    String database() {
        return "H2";
    }
}
