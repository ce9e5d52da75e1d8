package io.ftpbridge.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/** The hand-written event JSON against the application's Jackson mapper (Spring Boot's auto-configured one). */
class EventJsonTest {

    private static JsonMapper jackson;

    @BeforeAll
    static void applicationMapper() {
        AtomicReference<JsonMapper> mapper = new AtomicReference<>();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
                .run(context -> mapper.set(context.getBean(JsonMapper.class)));
        jackson = mapper.get();
    }

    private static EventResponse event(String text, OffsetDateTime time, Long size) {
        return new EventResponse(42L, EventType.FILE_UPLOADED, time, "host-1 " + text, text, EventProtocol.FTP, "folder" + text,
                "/in/" + text + ".csv", null, size, null, text, null);
    }

    private static List<String> awkwardTexts() {
        List<String> texts = new ArrayList<>(List.of("", "plain", "quote \" and backslash \\ and slash /",
                "new\nline\ttab\rreturn\bback\fform", "nul \u0000 unit sep \u001f del \u007f",
                "umlaut äöü, euro €, CJK 中文, emoji 😀 (a surrogate pair)", "line sep \u2028 para sep \u2029",
                "{{event.path}} \"}\" ,:[]"));
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            every.append(c);
        }
        texts.add(every.toString());
        return texts;
    }

    @Test
    void eventBodyIsTheTextJacksonWrites() {
        List<OffsetDateTime> times = List.of(OffsetDateTime.of(2026, 11, 26, 7, 40, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 11, 26, 7, 40, 1, 120_000_000, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.ofHoursMinutes(5, 30)),
                OffsetDateTime.of(1999, 12, 31, 23, 59, 59, 1_000, ZoneOffset.ofHours(-8)));
        for (String text : awkwardTexts()) {
            for (OffsetDateTime time : times) {
                for (Long size : new Long[] {null, 0L, 1024L, Long.MAX_VALUE, -1L}) {
                    EventResponse event = event(text, time, size);
                    byte[] ours = EventJson.bytes(event);
                    assertThat(new String(ours, StandardCharsets.UTF_8)).isEqualTo(jackson.writeValueAsString(event));
                    assertThat(ours).isEqualTo(jackson.writeValueAsBytes(event));
                }
            }
        }
    }

    @Test
    void everyNullFieldIsWrittenAsJacksonDoes() {
        EventResponse empty = new EventResponse(0L, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(EventJson.text(empty)).isEqualTo(jackson.writeValueAsString(empty));
        EventResponse job = new EventResponse(7L, EventType.TRANSFER_STATE_CHANGED, EventRepository.now(), "i", null, EventProtocol.JOB,
                "f", "/a", "/b", null, 99L, "RUNNING", "10.0.0.1");
        assertThat(EventJson.text(job)).isEqualTo(jackson.writeValueAsString(job));
    }

    @Test
    void aLoneSurrogateIsEscapedAndReadsBackAsTheSameString() {
        String lone = "bad \ud800 and \udc00 here";
        EventResponse event = event(lone, EventRepository.now(), 1L);
        assertThat(jackson.readValue(EventJson.bytes(event), EventResponse.class)).isEqualTo(event);
    }

    @Test
    void templatePlaceholdersAreEscapedAsJacksonWouldEscapeThem() {
        WebhookBody body = WebhookBody.parse("{\"text\": \"{{event.actor}} put {{event.path}} ({{event.size}} bytes)\", "
                + "\"path\": {{event.path}}, \"size\": {{event.size}}, \"job\": {{event.jobId}}, \"inner\": \"{{event}}\", \"event\": {{event}}}");
        for (String text : awkwardTexts()) {
            EventResponse event = event(text, EventRepository.now(), 5L);
            var tree = jackson.readTree(body.render(event, "rule"));
            assertThat(tree.get("text").asString()).isEqualTo(text + " put " + event.path() + " (5 bytes)");
            assertThat(tree.get("path").asString()).isEqualTo(event.path());
            assertThat(tree.get("size").asLong()).isEqualTo(5L);
            assertThat(tree.get("job").isNull()).isTrue();
            assertThat(tree.get("inner").asString()).isEqualTo(jackson.writeValueAsString(event));
            assertThat(tree.get("event")).isEqualTo(jackson.readTree(jackson.writeValueAsString(event)));
        }
    }
}
