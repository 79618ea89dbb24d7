package io.github.posthogflink.benchmarks;

import java.util.Locale;

/** Prints figures and ratios in one aligned format. */
final class Report {
    private final StringBuilder summary = new StringBuilder();

    void figure(String suite, String name, double value, String unit) {
        line(String.format(Locale.ROOT, "%-28s %-52s %14.2f %s", suite, name, value, unit));
    }

    void ratio(String suite, String name, double ratio, String target) {
        line(
                String.format(
                        Locale.ROOT,
                        "%-28s %-52s %13.2fx %s",
                        suite,
                        name,
                        ratio,
                        target == null ? "" : "(target " + target + ")"));
    }

    private void line(String text) {
        System.out.println(text);
        summary.append(text).append('\n');
    }

    String summary() {
        return summary.toString();
    }
}
