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
                .contains("events sent:      1497 (PostHog now holds 1597 events, by HogQL)")
                .contains("HogQL join: SELECT distinct_id, count() AS earlier_events")
                .contains("flags evaluated:  " + 3 * 1497)
                .contains("top events (HogQL):", "$pageview")
                .containsPattern("wall time: \\d+\\.\\d s \\(job runtime \\d+\\.\\d s\\)");
        Matcher persons = Pattern.compile("persons found:\\s+(\\d+)").matcher(run.out());
        assertThat(persons.find()).isTrue();
        // users 0..99 of 200 have persons (seeded, or made by their earlier events): about half
        assertThat(Long.parseLong(persons.group(1))).isBetween(500L, 1000L);
        // users 0..99 of 200 have earlier events: about half of the events are joined
        Matcher joined = Pattern.compile("HogQL join:\\s+(\\d+) events").matcher(run.out());
        assertThat(joined.find()).isTrue();
        assertThat(Long.parseLong(joined.group(1))).isBetween(500L, 1000L);
    }

    @Test
    void generatedEventsAreReproducible() {
        assertThat(DemoEvents.line(42)).isEqualTo(DemoEvents.line(42));
        assertThat(DemoEvents.line(42)).isNotEqualTo(DemoEvents.line(43));
        assertThat(DemoEvents.line(499)).doesNotContain("timestamp");
    }
}
