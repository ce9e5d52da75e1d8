package io.ftpbridge.events;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A new or replaced event rule: its actions run in order for every event it takes. */
public record EventRuleRequest(@NotBlank @Size(max = 128) String name, Boolean enabled, @NotEmpty List<EventType> events,
                               RuleFilter filter, @NotEmpty @Size(max = 20) List<RuleAction> actions) {
}
