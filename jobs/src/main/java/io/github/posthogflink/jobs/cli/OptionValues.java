package io.github.posthogflink.jobs.cli;

import org.apache.flink.util.TimeUtils;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Parses option values; each error names the option, never its value (it may be a key). */
final class OptionValues {
    private OptionValues() {}

    static int positive(String option, String value) {
        int n = integer(option, value, "a positive integer");
        if (n <= 0) {
            throw new IllegalArgumentException("--" + option + " must be a positive integer");
        }
        return n;
    }

    static int nonNegative(String option, String value) {
        int n = integer(option, value, "an integer >= 0");
        if (n < 0) {
            throw new IllegalArgumentException("--" + option + " must be an integer >= 0");
        }
        return n;
    }

    private static int integer(String option, String value, String what) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + " must be " + what);
        }
    }

    static Duration duration(String option, String value) {
        try {
            return TimeUtils.parseDuration(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--" + option + " must be a duration such as 500ms, 30s or 5min");
        }
    }

    static Duration positiveDuration(String option, String value) {
        Duration d = duration(option, value);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("--" + option + " must be longer than 0");
        }
        return d;
    }

    static boolean onOff(String option, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException("--" + option + " must be on or off");
        };
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String option, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--" + option + " must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    static List<String> csv(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A switch: given without a value, or with {@code true}. */
    static boolean flag(CommandLine cli, String option) {
        return cli.has(option) && !"false".equals(cli.get(option).get());
    }
}
