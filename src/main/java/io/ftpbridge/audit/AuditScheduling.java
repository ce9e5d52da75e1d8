package io.ftpbridge.audit;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Runs the retention purge of {@link AuditTrail}. */
@Configuration
@EnableScheduling
class AuditScheduling {
}
