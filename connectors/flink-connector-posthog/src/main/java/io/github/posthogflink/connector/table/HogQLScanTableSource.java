package io.github.posthogflink.connector.table;

import io.github.posthogflink.connector.source.hogql.HogQLRowDeserializer;
import io.github.posthogflink.connector.source.hogql.HogQLSource;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The {@code posthog-hogql} scan table: a {@link HogQLSource} whose rows take the table's schema. A
 * snapshot table with a primary key is an upsert changelog; otherwise rows are inserts.
 */
final class HogQLScanTableSource implements ScanTableSource {

    private final DataType producedDataType;
    private final HogQLTableSettings settings;
    private final int parallelism;

    HogQLScanTableSource(DataType producedDataType, HogQLTableSettings settings, int parallelism) {
        this.producedDataType = producedDataType;
        this.settings = settings;
        this.parallelism = parallelism;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return settings.changelogKey().isEmpty()
                ? ChangelogMode.insertOnly()
                : ChangelogMode.upsert();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        TypeInformation<RowData> type = context.createTypeInformation(producedDataType);
        RowType rowType = (RowType) producedDataType.getLogicalType();
        HogQLSource<RowData> source = settings.build(HogQLRowDeserializer.rowData(rowType, type));
        return SourceProvider.of(source, parallelism);
    }

    @Override
    public DynamicTableSource copy() {
        return new HogQLScanTableSource(producedDataType, settings, parallelism);
    }

    @Override
    public String asSummaryString() {
        return "PostHog HogQL" + (settings.bounded() ? " (bounded)" : "");
    }
}
