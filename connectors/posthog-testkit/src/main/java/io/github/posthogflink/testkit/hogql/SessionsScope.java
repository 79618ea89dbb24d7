package io.github.posthogflink.testkit.hogql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HogQL's {@code sessions} as PostHog's default (v2) table computes it from events ({@code
 * posthog/hogql/database/schema/sessions_v2.py}, {@code posthog/models/raw_sessions}): one row per
 * {@code $session_id} that is a valid UUIDv7 (others never reach PostHog's sessions table), with
 * the first and last timestamps, the entry and end URLs, the first campaign parameters, event
 * counts, duration and bounce. Computed from the stored events at each query.
 */
final class SessionsScope implements TableScope {
    static final String NAME = "sessions";

    /** PostHog's bounce rule: a session this long (seconds) or longer is not a bounce. */
    static final int BOUNCE_DURATION_SECONDS = 10;

    private static final String URL_PATH = "'^[^:/?#]+://[^/?#]*([^?#]*)'";
    private static final String URL_HOST = "'^[^:/?#]+://(?:[^@/?#]*@)?([^:/?#]+)'";

    /** HogQL field to DuckDB expression over the session row {@code se}, and its type. */
    private record Field(String sql, HType type) {}

    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();

    static {
        HType nullableString = HType.NULLABLE_STRING;
        field("session_id", "se.session_id", HType.STRING);
        field("distinct_id", "se.distinct_id", HType.STRING);
        field("$start_timestamp", "se.start_ts", HType.DATETIME);
        field("$end_timestamp", "se.end_ts", HType.DATETIME);
        field("max_inserted_at", "se.max_inserted_at", HType.DATETIME);
        field("$num_uniq_urls", "se.num_uniq_urls", HType.UINT64);
        field("$entry_current_url", "se.entry_url", nullableString);
        field(
                "$entry_pathname",
                "regexp_extract(se.entry_url, " + URL_PATH + ", 1)",
                nullableString);
        field(
                "$entry_hostname",
                "regexp_extract(se.entry_url, " + URL_HOST + ", 1)",
                nullableString);
        field("$end_current_url", "se.end_url", nullableString);
        field("$end_pathname", "regexp_extract(se.end_url, " + URL_PATH + ", 1)", nullableString);
        field("$end_hostname", "regexp_extract(se.end_url, " + URL_HOST + ", 1)", nullableString);
        field("$entry_referring_domain", "se.entry_referring_domain", nullableString);
        field("$entry_referrer", "se.entry_referrer", nullableString);
        for (String utm : List.of("source", "campaign", "medium", "term", "content")) {
            field("$entry_utm_" + utm, "se.entry_utm_" + utm, nullableString);
        }
        field("$pageview_count", "se.pageview_count", HType.UINT64);
        field("$autocapture_count", "se.autocapture_count", HType.UINT64);
        field("$screen_count", "se.screen_count", HType.UINT64);
        String duration = "date_diff('second', se.start_ts, se.end_ts)";
        field("$session_duration", duration, HType.INT64);
        field(
                "$is_bounce",
                "(CASE WHEN se.pageview_count = 0 THEN NULL ELSE NOT (se.pageview_count > 1 OR"
                        + " se.autocapture_count > 0 OR "
                        + duration
                        + " >= "
                        + BOUNCE_DURATION_SECONDS
                        + ") END)",
                HType.PREDICATE.withNullable(true));
    }

    /** Aliases PostHog keeps out of {@code SELECT *}. */
    private static final Map<String, String> ALIASES =
            Map.of(
                    "id", "session_id",
                    "duration", "$session_duration",
                    "$exit_current_url", "$end_current_url",
                    "$exit_pathname", "$end_pathname");

    private static void field(String name, String sql, HType type) {
        FIELDS.put(name, new Field(sql, type));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> starColumns() {
        return List.copyOf(FIELDS.keySet());
    }

    @Override
    public Sql resolve(List<String> chain, String hogql) throws HogQLException {
        String name = ALIASES.getOrDefault(chain.get(0), chain.get(0));
        Field field = FIELDS.get(name);
        if (field == null) {
            throw Fields.unknown(chain.get(0));
        }
        return Fields.column(field.sql(), field.type(), hogql, chain.subList(1, chain.size()));
    }

    @Override
    public String rowIdColumn() {
        return null;
    }

    @Override
    public String fromClause() {
        return " FROM (" + sessionsSql() + ") AS se";
    }

    private static String sessionsSql() {
        try {
            String properties = "ev.properties";
            String sessionUuid =
                    "TRY_CAST("
                            + Fields.rawProperty(properties, List.of("$session_id"))
                            + " AS UUID)";
            StringBuilder inner =
                    new StringBuilder("SELECT ev.*, CAST(")
                            .append(sessionUuid)
                            .append(" AS VARCHAR) AS sid, ")
                            .append(nonEmpty(properties, "$current_url"))
                            .append(" AS url, ")
                            .append(nonEmpty(properties, "$referring_domain"))
                            .append(" AS referring_domain, ")
                            .append(nonEmpty(properties, "$referrer"))
                            .append(" AS referrer");
            for (String utm : List.of("source", "campaign", "medium", "term", "content")) {
                inner.append(", ")
                        .append(nonEmpty(properties, "utm_" + utm))
                        .append(" AS utm_")
                        .append(utm);
            }
            inner.append(" FROM events AS ev");
            StringBuilder sql =
                    new StringBuilder("SELECT sid AS session_id,")
                            .append(" arg_max(distinct_id, \"timestamp\") AS distinct_id,")
                            .append(
                                    " min(\"timestamp\") AS start_ts, max(\"timestamp\") AS"
                                            + " end_ts,")
                            .append(" max(created_at) AS max_inserted_at,")
                            .append(" count(DISTINCT url) AS num_uniq_urls,")
                            .append(first("url", "entry_url"))
                            .append(", arg_max(url, \"timestamp\") FILTER (WHERE url IS NOT NULL)")
                            .append(" AS end_url, ")
                            .append(first("referring_domain", "entry_referring_domain"))
                            .append(", ")
                            .append(first("referrer", "entry_referrer"));
            for (String utm : List.of("source", "campaign", "medium", "term", "content")) {
                sql.append(", ").append(first("utm_" + utm, "entry_utm_" + utm));
            }
            for (String kind : List.of("pageview", "autocapture", "screen")) {
                sql.append(", count(DISTINCT uuid) FILTER (WHERE event = '$")
                        .append(kind)
                        .append("') AS ")
                        .append(kind)
                        .append("_count");
            }
            // The version nibble of a UUIDv7 is the 15th character of its text.
            sql.append(" FROM (")
                    .append(inner)
                    .append(") WHERE substr(sid, 15, 1) = '7' GROUP BY sid");
            return sql.toString();
        } catch (HogQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nonEmpty(String column, String property) throws HogQLException {
        return "nullif(" + Fields.rawProperty(column, List.of(property)) + ", '')";
    }

    private static String first(String column, String alias) {
        return "arg_min("
                + column
                + ", \"timestamp\") FILTER (WHERE "
                + column
                + " IS NOT NULL) AS "
                + alias;
    }
}
