package io.ftpbridge.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook action's {@code bodyTemplate}: JSON text with {@code {{event.path}}}-style placeholders.
 * Inside a JSON string a placeholder becomes the value's text, JSON-escaped (null: nothing); outside
 * one it becomes the value as a JSON literal (a quoted string, a number or {@code null}), and
 * {@code {{event}}} the whole event. So {@code {"text": "{{event.path}} arrived", "size": {{event.size}}}}
 * always renders valid JSON whatever the path holds.
 */
final class WebhookBody {

    /** What a placeholder may name, and how to read it from the event and its rule. */
    private static final Map<String, Function<Values, Object>> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("event", v -> v.event);
        FIELDS.put("event.id", v -> v.event.id());
        FIELDS.put("event.type", v -> v.event.type().name());
        FIELDS.put("event.time", v -> v.event.time() == null ? null : v.event.time().toString());
        FIELDS.put("event.instance", v -> v.event.instance());
        FIELDS.put("event.actor", v -> v.event.actor());
        FIELDS.put("event.protocol", v -> v.event.protocol() == null ? null : v.event.protocol().name());
        FIELDS.put("event.folder", v -> v.event.folder());
        FIELDS.put("event.path", v -> v.event.path());
        FIELDS.put("event.fromPath", v -> v.event.fromPath());
        FIELDS.put("event.size", v -> v.event.size());
        FIELDS.put("event.jobId", v -> v.event.jobId());
        FIELDS.put("event.state", v -> v.event.state());
        FIELDS.put("event.address", v -> v.event.address());
        FIELDS.put("rule.name", v -> v.ruleName);
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z.]*)\\s*}}");

    private record Values(EventResponse event, String ruleName) {
    }

    /** Literal text, or a placeholder and whether it stands inside a JSON string. */
    private record Part(String text, String field, boolean inString) {
    }

    private final List<Part> parts;

    private WebhookBody(List<Part> parts) {
        this.parts = parts;
    }

    /** The placeholders a template may use, for messages and the README. */
    static String fields() {
        return String.join(", ", FIELDS.keySet().stream().map(f -> "{{" + f + "}}").toList());
    }

    /**
     * Checks a template as a rule is saved: throws {@link IllegalArgumentException} saying what is wrong
     * with it (an unknown placeholder, an unclosed string, text that is not JSON once rendered).
     */
    static void validate(String template, JsonMapper json) {
        WebhookBody body = parse(template);
        EventResponse sample = new EventResponse(1L, EventType.FILE_UPLOADED, EventRepository.now(), "instance", "user \"x\"",
                EventProtocol.FTP, "folder", "/a \"b\"\\c.csv", null, 1L, null, null, null);
        try {
            json.readTree(body.render(sample, "rule"));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON once rendered: " + e.getOriginalMessage());
        }
    }

    /** Splits a template into literal text and placeholders. */
    static WebhookBody parse(String template) {
        List<Part> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        boolean inString = false;
        while (m.find()) {
            String literal = template.substring(at, m.start());
            inString = scan(literal, inString);
            parts.add(new Part(literal, null, false));
            String field = m.group(1);
            if (!FIELDS.containsKey(field)) {
                throw new IllegalArgumentException("unknown placeholder {{%s}}; known: %s".formatted(field, fields()));
            }
            parts.add(new Part(null, field, inString));
            at = m.end();
        }
        String rest = template.substring(at);
        parts.add(new Part(rest, null, false));
        if (scan(rest, inString)) {
            throw new IllegalArgumentException("a JSON string is not closed");
        }
        return new WebhookBody(List.copyOf(parts));
    }

    /** Whether a JSON text that starts {@code inString} ends inside a string. */
    private static boolean scan(String text, boolean inString) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString && c == '\\') {
                i++;
            } else if (c == '"') {
                inString = !inString;
            }
        }
        return inString;
    }

    /** The body for an event: placeholders written by {@link EventJson}, as the default body is. */
    String render(EventResponse event, String ruleName) {
        Values values = new Values(event, ruleName);
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part.field() == null) {
                out.append(part.text());
                continue;
            }
            Object value = FIELDS.get(part.field()).apply(values);
            if (!part.inString()) {
                EventJson.appendValue(out, value);
            } else if (value instanceof String text) {
                EventJson.appendEscaped(out, text);
            } else if (value != null) {
                StringBuilder literal = new StringBuilder();
                EventJson.appendValue(literal, value);
                EventJson.appendEscaped(out, literal.toString());
            }
        }
        return out.toString();
    }
}
