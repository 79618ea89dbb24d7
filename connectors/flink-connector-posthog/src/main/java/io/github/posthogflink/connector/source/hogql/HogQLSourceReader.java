package io.github.posthogflink.connector.source.hogql;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import java.util.Map;

/** The reader: one fetcher thread polls the query, the task thread emits and keeps the state. */
final class HogQLSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<HogQLRecord, T, HogQLSplit, HogQLSplitState> {

    private final boolean changelog;

    HogQLSourceReader(
            HogQLSourceOptions options,
            HogQLRowDeserializer<T> deserializer,
            SourceReaderContext context,
            HogQLSourceMetrics metrics) {
        super(
                () -> new HogQLSplitReader(options, metrics, SharedExecutor::new),
                new HogQLRecordEmitter<>(
                        deserializer,
                        options.incremental() == null ? null : options.incremental().cursorColumn(),
                        metrics),
                context.getConfiguration(),
                context);
        this.changelog = options.changelog();
    }

    @Override
    protected void onSplitFinished(Map<String, HogQLSplitState> finished) {}

    @Override
    protected HogQLSplitState initializedState(HogQLSplit split) {
        return new HogQLSplitState(split, changelog);
    }

    @Override
    protected HogQLSplit toSplitType(String splitId, HogQLSplitState state) {
        return state.toSplit();
    }

    /** Queries through the JVM-wide shared client of the source's host and key. */
    static final class SharedExecutor implements HogQLSplitReader.QueryExecutor {
        private final SharedQueryClients.Lease lease;
        private final HogQLQueryRunner runner;

        SharedExecutor(HogQLSourceOptions options) {
            this.lease = SharedQueryClients.acquire(options.client());
            this.runner = new HogQLQueryRunner(lease.client(), options);
        }

        @Override
        public java.util.concurrent.CompletableFuture<
                        io.github.posthogflink.client.query.QueryResponse>
                run(io.github.posthogflink.client.query.HogQLQuery query) {
            return runner.run(query);
        }

        @Override
        public void close() {
            runner.close();
            lease.close();
        }
    }
}
