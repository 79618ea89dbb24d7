package io.github.posthogflink.jobs.progress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressPrinterTest {

    @Test
    void aLineSaysWhatWasReadSentPendingAndDeadLettered() {
        Progress progress = new Progress(12_000, 11_990, 11_950, 40, 24);

        assertThat(ProgressPrinter.line(progress, true, 2389.6))
                .isEqualTo(
                        "progress: 12,000 records read, 11,950 events sent (2,390/s), 40 pending,"
                                + " 24 dead-lettered");
        assertThat(ProgressPrinter.line(progress, false, 0))
                .startsWith("progress: 12,000 records read, 11,990 events written (0/s)");
    }
}
