package io.ftpbridge.events;

import java.time.OffsetDateTime;
import java.util.List;

public record EventRuleResponse(long id, String name, boolean enabled, List<EventType> events, RuleFilter filter,
                                List<RuleAction> actions, OffsetDateTime createdAt) {
}
