package io.github.posthogflink.testkit.hogql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HogQL's {@code query_log} (PostHog's {@code query_log_archive}, {@code
 * posthog/hogql/database/schema/query_log_archive.py}): one row per finished query of this server.
 * The ClickHouse profile counters are 0, except {@code cpu_microseconds} and {@code
 * RealTimeMicroseconds}, which hold the query's wall time.
 */
final class QueryLogScope implements TableScope {
    static final String NAME = "query_log";

    private static final Map<String, HType> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("event_date", HType.DATE);
        COLUMNS.put("event_time", HType.DATETIME);
        COLUMNS.put("query_id", HType.STRING);
        COLUMNS.put("endpoint", HType.STRING);
        COLUMNS.put("query", HType.STRING);
        COLUMNS.put("query_start_time", HType.DATETIME);
        COLUMNS.put("query_duration_ms", HType.INT64);
        COLUMNS.put("name", HType.STRING);
        COLUMNS.put("created_by", HType.INT64);
        COLUMNS.put("read_rows", HType.INT64);
        COLUMNS.put("read_bytes", HType.INT64);
        COLUMNS.put("result_rows", HType.INT64);
        COLUMNS.put("result_bytes", HType.INT64);
        COLUMNS.put("memory_usage", HType.INT64);
        COLUMNS.put("status", HType.STRING);
        COLUMNS.put("exception_code", HType.INT64);
        COLUMNS.put("exception_name", HType.STRING);
        COLUMNS.put("is_personal_api_key_request", HType.BOOL);
        COLUMNS.put("api_key_label", HType.STRING);
        COLUMNS.put("api_key_mask", HType.STRING);
        COLUMNS.put("cpu_microseconds", HType.INT64);
    }

    /** Columns of PostHog's table that are ClickHouse profile counters the testkit has not. */
    private static final List<String> ZERO_COUNTERS =
            List.of(
                    "S3ListObjects",
                    "S3HeadObject",
                    "S3GetObjectAttributes",
                    "S3GetObject",
                    "ReadBufferFromS3Bytes");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> starColumns() {
        List<String> star = new java.util.ArrayList<>(COLUMNS.keySet());
        star.add("RealTimeMicroseconds");
        star.addAll(ZERO_COUNTERS);
        return star;
    }

    @Override
    public Sql resolve(List<String> chain, String hogql) throws HogQLException {
        String name = chain.get(0);
        List<String> rest = chain.subList(1, chain.size());
        HType type = COLUMNS.get(name);
        if (type != null) {
            return Fields.column("ql." + name, type, hogql, rest);
        }
        if (name.equals("RealTimeMicroseconds")) {
            return Fields.column("ql.cpu_microseconds", HType.INT64, hogql, rest);
        }
        if (ZERO_COUNTERS.contains(name)) {
            return Fields.column("CAST(0 AS BIGINT)", HType.INT64, hogql, rest);
        }
        throw Fields.unknown(name);
    }

    @Override
    public String fromClause() {
        return " FROM query_log AS ql";
    }

    @Override
    public String rowIdColumn() {
        return "ql.rowid";
    }
}
