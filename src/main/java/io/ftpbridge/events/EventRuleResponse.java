package io.ftpbridge.events;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.OffsetDateTime;
import java.util.List;

public record EventRuleResponse(long id, String name, boolean enabled, List<EventType> events, @Schema(nullable = true) RuleFilter filter,
                                List<RuleAction> actions, OffsetDateTime createdAt) {
}
