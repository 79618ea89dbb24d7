package io.github.posthogflink.testkit.hogql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Reads DuckDB rows into the JSON-friendly values PostHog's query API returns. */
final class ResultReader {
    private ResultReader() {}

    static List<List<Object>> read(ResultSet rs, List<HType> types) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        int count = types.size();
        while (rs.next()) {
            List<Object> row = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                row.add(value(rs, i + 1, types.get(i)));
            }
            rows.add(row);
        }
        return rows;
    }

    private static Object value(ResultSet rs, int column, HType type) throws SQLException {
        Object value;
        switch (type.kind()) {
            case INTEGER, PREDICATE -> value = rs.getLong(column);
            case FLOAT -> {
                double d = rs.getDouble(column);
                // PostHog's renderer turns NaN and infinities into null.
                value = Double.isFinite(d) ? d : null;
            }
            case BOOL -> value = rs.getBoolean(column);
            case DATETIME -> value = formatDateTime(rs.getLong(column));
            case NOTHING -> value = null;
            default -> value = rs.getString(column);
        }
        return rs.wasNull() ? null : value;
    }

    /**
     * A DateTime64 as PostHog's JSON shows it (Python's isoformat through Django REST framework):
     * {@code 2024-01-02T03:04:05Z}, or {@code 2024-01-02T03:04:05.123456Z} when there are
     * microseconds.
     */
    static String formatDateTime(long epochMicros) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L);
        int micros = (int) Math.floorMod(epochMicros, 1_000_000L);
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(27);
        pad(out, time.getYear(), 4).append('-');
        pad(out, time.getMonthValue(), 2).append('-');
        pad(out, time.getDayOfMonth(), 2).append('T');
        pad(out, time.getHour(), 2).append(':');
        pad(out, time.getMinute(), 2).append(':');
        pad(out, time.getSecond(), 2);
        if (micros != 0) {
            pad(out.append('.'), micros, 6);
        }
        return out.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }
}
