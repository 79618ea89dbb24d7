package io.github.posthogflink.jobs;

import io.github.posthogflink.jobs.io.DemoEvents;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded demo: testkit PostHog, generated events, whole pipeline, HogQL summary. */
@Timeout(180)
class DemoTest {

    @Test
    void runsEndToEndAndSummarisesByHogQL() throws Exception {
        PipelineRun run = PipelineRun.run(Map.of(), "--demo-events", "1500", "--parallelism", "2");
        // records 499, 999 and 1499 are broken on purpose
        assertThat(run.out())
                .contains("records read:     1500 (dead-lettered: 3)")
                .contains("events sent:      1497 (in PostHog, by HogQL: 1497)")
                .contains("flags evaluated:  " + 3 * 1497)
                .contains("top events (HogQL):", "$pageview");
        Matcher persons = Pattern.compile("persons found:\\s+(\\d+)").matcher(run.out());
        assertThat(persons.find()).isTrue();
        // users 0..49 of 200 are seeded persons: about a quarter of the events
        assertThat(Long.parseLong(persons.group(1))).isBetween(200L, 550L);
    }

    @Test
    void generatedEventsAreReproducible() {
        assertThat(DemoEvents.line(42)).isEqualTo(DemoEvents.line(42));
        assertThat(DemoEvents.line(42)).isNotEqualTo(DemoEvents.line(43));
        assertThat(DemoEvents.line(499)).doesNotContain("timestamp");
    }
}
