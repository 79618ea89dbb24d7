package io.github.posthogflink.connector.table;

import io.github.posthogflink.connector.source.hogql.HogQLRowDeserializer;
import io.github.posthogflink.connector.source.hogql.HogQLSource;
import io.github.posthogflink.connector.source.hogql.HogQLSourceBuilder;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsFilterPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsLimitPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table mode of {@code posthog-hogql} ({@code 'hogql.table' = 'events'}): a HogQL table as a
 * Flink table. Flink's planner pushes the referenced columns, the filters {@link HogQLPredicates}
 * translates and the LIMIT into the HogQL sent (see {@link HogQLTableQuery}); the rest stays in
 * Flink. Read incrementally by the table's cursor (keyset pages), unbounded or bounded; a bounded
 * read without LIMIT is split into time slices read in parallel.
 */
final class HogQLTableScanSource
        implements ScanTableSource,
                SupportsProjectionPushDown,
                SupportsFilterPushDown,
                SupportsLimitPushDown {

    private static final Logger LOG = LoggerFactory.getLogger(HogQLTableScanSource.class);

    private final HogQLTableSettings settings;
    private HogQLTableQuery query;

    HogQLTableScanSource(HogQLTableSettings settings, HogQLTableQuery query) {
        this.settings = settings;
        this.query = query;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
    }

    @Override
    public boolean supportsNestedProjection() {
        return false;
    }

    @Override
    public void applyProjection(int[][] projectedFields, DataType producedDataType) {
        List<String> names = new ArrayList<>();
        for (int[] path : projectedFields) {
            names.add(query.allColumns().get(path[0]));
        }
        query = query.withProjection(names, producedDataType);
    }

    @Override
    public Result applyFilters(List<ResolvedExpression> filters) {
        HogQLPredicates predicates = new HogQLPredicates(query.columns());
        List<ResolvedExpression> accepted = new ArrayList<>();
        List<ResolvedExpression> remaining = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (ResolvedExpression filter : filters) {
            Optional<String> hogql = predicates.translate(filter);
            if (hogql.isPresent()) {
                accepted.add(filter);
                where.add(hogql.get());
                query = query.withTimeBound(filter);
            } else {
                remaining.add(filter);
            }
        }
        query = query.withFilters(where);
        return Result.of(accepted, remaining);
    }

    @Override
    public void applyLimit(long limit) {
        query = query.withLimit(limit);
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        DataType produced = query.producedDataType();
        TypeInformation<RowData> type = context.createTypeInformation(produced);
        RowType rowType = (RowType) produced.getLogicalType();
        HogQLSourceBuilder<RowData> builder =
                settings.common(HogQLRowDeserializer.rowData(rowType, type));
        query.apply(builder, settings);
        HogQLSource<RowData> source = builder.build();
        LOG.info("{}", asSummaryString());
        return SourceProvider.of(source);
    }

    @Override
    public DynamicTableSource copy() {
        return new HogQLTableScanSource(settings, query);
    }

    /**
     * The HogQL that will be sent, logged at INFO when the source is built. Flink's {@code EXPLAIN}
     * prints its own digest of what was pushed ({@code filter=[…]}, {@code project=[…]}, {@code
     * limit=[…]} on the scan; what remains in a {@code Calc} above it), not this text: the planner
     * offers sources no hook into it.
     */
    @Override
    public String asSummaryString() {
        return "PostHog HogQL"
                + (settings.bounded() ? " (bounded)" : "")
                + ": "
                + query.describe(settings);
    }
}
