package io.ftpbridge.events;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;

/**
 * An event as JSON, written by hand: the same text the application's Jackson mapper writes for an
 * {@link EventResponse} (fields in record order, nulls written, the time as ISO-8601 with its offset, strings
 * escaped as JSON requires), checked against it by {@code EventJsonTest}. Every webhook's body is one; through
 * Jackson's generator it cost the dispatcher more than the rest of the request, and its ~30 methods reached the
 * JIT's compiler only after tens of thousands of webhooks (issue 11 benchmark).
 */
final class EventJson {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private EventJson() {
    }

    static byte[] bytes(EventResponse event) {
        return text(event).getBytes(StandardCharsets.UTF_8);
    }

    static String text(EventResponse event) {
        StringBuilder out = new StringBuilder(320);
        appendEvent(out, event);
        return out.toString();
    }

    static void appendEvent(StringBuilder out, EventResponse e) {
        out.append("{\"id\":").append(e.id());
        field(out, "type", e.type() == null ? null : e.type().name());
        field(out, "time", e.time() == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(e.time()));
        field(out, "instance", e.instance());
        field(out, "actor", e.actor());
        field(out, "protocol", e.protocol() == null ? null : e.protocol().name());
        field(out, "folder", e.folder());
        field(out, "path", e.path());
        field(out, "fromPath", e.fromPath());
        field(out, "size", e.size());
        field(out, "jobId", e.jobId());
        field(out, "state", e.state());
        field(out, "address", e.address());
        out.append('}');
    }

    /** A member after the first: the names are ours and need no escaping. */
    private static void field(StringBuilder out, String name, Object value) {
        out.append(",\"").append(name).append("\":");
        appendValue(out, value);
    }

    /** A JSON literal: {@code null}, a number, the event as an object, or anything else as a quoted string of its text. */
    static void appendValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Long || value instanceof Integer) {
            out.append(value);
        } else if (value instanceof EventResponse event) {
            appendEvent(out, event);
        } else {
            out.append('"');
            appendEscaped(out, value.toString());
            out.append('"');
        }
    }

    /**
     * A string's characters as they stand between JSON quotes: {@code "} and {@code \} escaped, control characters
     * as {@code \n}-style or four-hex-digit escapes (as Jackson writes them), everything else as is (UTF-8 once
     * encoded); a lone surrogate, which UTF-8 cannot carry, as a four-hex-digit escape.
     */
    static void appendEscaped(StringBuilder out, String s) {
        int start = 0;
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a pair: one character outside the BMP, written as is
                continue;
            }
            out.append(s, start, i);
            start = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                        .append(HEX[c & 0xF]);
            }
        }
        out.append(s, start, length);
    }
}
