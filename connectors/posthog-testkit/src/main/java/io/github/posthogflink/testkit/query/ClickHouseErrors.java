package io.github.posthogflink.testkit.query;

/**
 * The ClickHouse error a failure of the embedded database stands for, as PostHog names ClickHouse
 * errors it exposes to users ({@code posthog/errors.py}: {@code code_name}, the error code's name
 * in the query log). An approximation from the embedded database's message.
 */
final class ClickHouseErrors {
    private ClickHouseErrors() {}

    /** PostHog's {@code code_name}, e.g. {@code not_an_aggregate}. */
    static String codeName(String message) {
        return name(message).toLowerCase(java.util.Locale.ROOT);
    }

    /** ClickHouse's error name, e.g. {@code NOT_AN_AGGREGATE}. */
    static String name(String message) {
        String text = message == null ? "" : message;
        if (text.contains("GROUP BY") || text.contains("aggregate")) {
            return "NOT_AN_AGGREGATE";
        }
        if (text.contains("Conversion Error") || text.contains("Could not convert")) {
            return "TYPE_MISMATCH";
        }
        return "ILLEGAL_TYPE_OF_ARGUMENT";
    }

    /** ClickHouse's numeric code for {@link #name}. */
    static int code(String message) {
        return switch (name(message)) {
            case "NOT_AN_AGGREGATE" -> 215;
            case "TYPE_MISMATCH" -> 53;
            default -> 43;
        };
    }
}
