package io.github.posthogflink.connector.table;

import io.github.posthogflink.connector.source.hogql.HogQLLiterals;
import io.github.posthogflink.connector.source.hogql.HogQLSource;
import io.github.posthogflink.connector.source.hogql.HogQLSourceBuilder;

import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.DataType;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a table-mode scan sends, as the planner pushed it: the projected columns, the translated
 * filters (with the table's own {@code hogql.where}), a time range taken from filters on the cursor
 * column (where the keyset read starts and, bounded, ends and is sliced), and the LIMIT. Immutable.
 */
final class HogQLTableQuery implements Serializable {
    private static final long serialVersionUID = 1L;

    private final HogQLTableColumns columns;
    private final List<String> allColumns;
    private final List<String> projected;
    private final DataType producedDataType;
    @Nullable private final String staticWhere;
    private final List<String> filters;
    private final String cursorField;
    private final String tieBreakerField;
    @Nullable private final Instant lower;
    @Nullable private final Instant upper;
    private final long limit;

    HogQLTableQuery(
            HogQLTableColumns columns,
            List<String> allColumns,
            DataType producedDataType,
            @Nullable String staticWhere,
            String cursorField,
            String tieBreakerField) {
        this(
                columns,
                allColumns,
                allColumns,
                producedDataType,
                staticWhere,
                List.of(),
                cursorField,
                tieBreakerField,
                null,
                null,
                0);
    }

    private HogQLTableQuery(
            HogQLTableColumns columns,
            List<String> allColumns,
            List<String> projected,
            DataType producedDataType,
            @Nullable String staticWhere,
            List<String> filters,
            String cursorField,
            String tieBreakerField,
            @Nullable Instant lower,
            @Nullable Instant upper,
            long limit) {
        this.columns = columns;
        this.allColumns = List.copyOf(allColumns);
        this.projected = List.copyOf(projected);
        this.producedDataType = producedDataType;
        this.staticWhere = staticWhere;
        this.filters = List.copyOf(filters);
        this.cursorField = cursorField;
        this.tieBreakerField = tieBreakerField;
        this.lower = lower;
        this.upper = upper;
        this.limit = limit;
    }

    HogQLTableColumns columns() {
        return columns;
    }

    List<String> allColumns() {
        return allColumns;
    }

    DataType producedDataType() {
        return producedDataType;
    }

    HogQLTableQuery withProjection(List<String> names, DataType produced) {
        return new HogQLTableQuery(
                columns,
                allColumns,
                names,
                produced,
                staticWhere,
                filters,
                cursorField,
                tieBreakerField,
                lower,
                upper,
                limit);
    }

    HogQLTableQuery withFilters(List<String> where) {
        List<String> all = new ArrayList<>(filters);
        all.addAll(where);
        return new HogQLTableQuery(
                columns,
                allColumns,
                projected,
                producedDataType,
                staticWhere,
                all,
                cursorField,
                tieBreakerField,
                lower,
                upper,
                limit);
    }

    HogQLTableQuery withLimit(long rows) {
        return new HogQLTableQuery(
                columns,
                allColumns,
                projected,
                producedDataType,
                staticWhere,
                filters,
                cursorField,
                tieBreakerField,
                lower,
                upper,
                rows);
    }

    /**
     * Narrows the time range by an accepted filter {@code cursor >= / > / <= / < timestamp} on the
     * column that is the cursor field; the filter itself stays in the WHERE, exact.
     */
    HogQLTableQuery withTimeBound(ResolvedExpression filter) {
        if (!(filter instanceof CallExpression call)) {
            return this;
        }
        FunctionDefinition fn = call.getFunctionDefinition();
        if (fn == BuiltInFunctionDefinitions.AND) {
            HogQLTableQuery narrowed = this;
            for (ResolvedExpression conjunct : call.getResolvedChildren()) {
                narrowed = narrowed.withTimeBound(conjunct);
            }
            return narrowed;
        }
        if (call.getResolvedChildren().size() != 2) {
            return this;
        }
        ResolvedExpression left = call.getResolvedChildren().get(0);
        ResolvedExpression right = call.getResolvedChildren().get(1);
        boolean flipped = false;
        if (!(left instanceof FieldReferenceExpression)) {
            ResolvedExpression t = left;
            left = right;
            right = t;
            flipped = true;
        }
        if (!(left instanceof FieldReferenceExpression f)
                || !cursorField.equals(columns.expression(f.getName()))) {
            return this;
        }
        Instant at = HogQLPredicates.instant(right);
        if (at == null) {
            return this;
        }
        boolean greater =
                fn == BuiltInFunctionDefinitions.GREATER_THAN
                        || fn == BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL;
        boolean less =
                fn == BuiltInFunctionDefinitions.LESS_THAN
                        || fn == BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL;
        if (fn == BuiltInFunctionDefinitions.EQUALS) {
            return bounded(max(lower, at), min(upper, at));
        }
        if (!greater && !less) {
            return this;
        }
        boolean isLower = greater != flipped;
        return isLower ? bounded(max(lower, at), upper) : bounded(lower, min(upper, at));
    }

    private HogQLTableQuery bounded(@Nullable Instant from, @Nullable Instant to) {
        return new HogQLTableQuery(
                columns,
                allColumns,
                projected,
                producedDataType,
                staticWhere,
                filters,
                cursorField,
                tieBreakerField,
                from,
                to,
                limit);
    }

    private static Instant max(@Nullable Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Instant min(@Nullable Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    /** The select list: the projected columns, then the cursor fields the read pages by. */
    String select() {
        List<String> items = new ArrayList<>();
        for (String name : projected) {
            items.add(columns.selectItem(name));
        }
        for (String field : List.of(cursorField, tieBreakerField)) {
            if (!projected.contains(field)) {
                items.add(field);
            }
        }
        return String.join(", ", items);
    }

    @Nullable
    String where() {
        List<String> parts = new ArrayList<>();
        if (staticWhere != null && !staticWhere.isBlank()) {
            parts.add(staticWhere);
        }
        parts.addAll(filters);
        if (parts.isEmpty()) {
            return null;
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<String> wrapped = new ArrayList<>();
        for (String p : parts) {
            wrapped.add("(" + p + ")");
        }
        return String.join(" AND ", wrapped);
    }

    /** Whether a bounded read of this query is sliced: not with a LIMIT (one split reads less). */
    private boolean sliced(HogQLTableSettings settings) {
        return settings.bounded() && limit == 0 && !settings.sliceSize().isZero();
    }

    void apply(HogQLSourceBuilder<?> builder, HogQLTableSettings settings) {
        builder.incremental(select(), from()).where(where()).cursor(cursorField, tieBreakerField);
        Instant start = settings.startTimestamp();
        if (lower != null) {
            start = start == null ? lower : max(start, lower);
        }
        if (start != null) {
            builder.startTimestamp(start);
        }
        if (settings.bounded()) {
            Instant end = settings.endTimestamp();
            if (upper != null) {
                end = end == null ? upper : min(end, upper);
            }
            builder.endTimestamp(end);
        }
        if (limit > 0) {
            builder.limit(limit);
        }
        if (sliced(settings)) {
            builder.timeSlices(settings.sliceSize());
        }
    }

    private String from() {
        return HogQLLiterals.fieldPath(columns.table());
    }

    /** The HogQL sent, for {@code EXPLAIN}: the page query, the range, the limit, the slicing. */
    String describe() {
        StringBuilder out =
                new StringBuilder(
                        HogQLSource.incrementalQueryText(
                                select(), from(), where(), cursorField, tieBreakerField));
        if (lower != null || upper != null) {
            out.append("; range [").append(lower == null ? "-" : lower).append(", ");
            out.append(upper == null ? "-" : upper).append(']');
        }
        if (limit > 0) {
            out.append("; limit ").append(limit);
        }
        return out.toString();
    }

    /** For the table source's EXPLAIN: whether slices apply is known only with the settings. */
    String describe(HogQLTableSettings settings) {
        String text = describe();
        return sliced(settings) ? text + "; slices of " + format(settings.sliceSize()) : text;
    }

    private static String format(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
