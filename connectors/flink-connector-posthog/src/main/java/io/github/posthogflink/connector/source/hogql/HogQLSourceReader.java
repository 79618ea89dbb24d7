package io.github.posthogflink.connector.source.hogql;

import io.github.posthogflink.client.query.HogQLQuery;
import io.github.posthogflink.client.query.QueryResponse;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The reader: one fetcher thread polls the query, the task thread emits and keeps the state. It
 * asks the enumerator for a split when it starts without one and after each finished split.
 */
final class HogQLSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<HogQLRecord, T, HogQLSplit, HogQLSplitState> {

    private final boolean changelog;

    HogQLSourceReader(
            HogQLSourceOptions options,
            HogQLRowDeserializer<T> deserializer,
            SourceReaderContext context,
            HogQLSourceMetrics metrics) {
        super(
                () ->
                        new HogQLSplitReader(
                                options,
                                metrics,
                                o ->
                                        new SharedExecutor(
                                                o,
                                                context.getIndexOfSubtask(),
                                                context.currentParallelism())),
                new HogQLRecordEmitter<>(
                        deserializer,
                        options.incremental() == null ? null : options.incremental().cursorColumn(),
                        metrics),
                context.getConfiguration(),
                context);
        this.changelog = options.changelog();
    }

    @Override
    public void start() {
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, HogQLSplitState> finished) {
        context.sendSplitRequest();
    }

    @Override
    protected HogQLSplitState initializedState(HogQLSplit split) {
        return new HogQLSplitState(split, changelog);
    }

    @Override
    protected HogQLSplit toSplitType(String splitId, HogQLSplitState state) {
        return state.toSplit();
    }

    /**
     * Queries through a shared client: the JVM-wide one of the source's host and key, or for a
     * sliced read, this subtask's own with its part of the budget ({@link
     * SharedQueryClients#forSubtask}).
     */
    static final class SharedExecutor implements HogQLSplitReader.QueryExecutor {
        private final SharedQueryClients.Lease lease;
        private final HogQLQueryRunner runner;

        SharedExecutor(HogQLSourceOptions options) {
            this(options, 0, 1);
        }

        SharedExecutor(HogQLSourceOptions options, int subtask, int parallelism) {
            this.lease =
                    options.sliced()
                            ? SharedQueryClients.forSubtask(options.client(), subtask, parallelism)
                            : SharedQueryClients.acquire(options.client());
            this.runner = new HogQLQueryRunner(lease.client(), options);
        }

        @Override
        public CompletableFuture<QueryResponse> run(HogQLQuery query) {
            return runner.run(query);
        }

        @Override
        public void close() {
            runner.close();
            lease.close();
        }
    }
}
