package io.github.posthogflink.connector.testing;

import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.scheduler.ExecutionGraphInfo;
import org.apache.flink.runtime.scheduler.exceptionhistory.ExceptionHistoryEntry;
import org.apache.flink.runtime.scheduler.exceptionhistory.RootExceptionHistoryEntry;
import org.apache.flink.util.ExceptionUtils;

import java.util.Optional;

/**
 * Why a job failed, as text: the failure its client saw, each failed subtask's own cause from the
 * job's execution graph, then the job's exception history (each failover's root cause and the
 * failures concurrent with it). Flink may report a follow-up failure as the job's cause (a source
 * coordinator's event lost to a task that had already failed), so the first cause can be missing
 * from the reported chain.
 */
public final class JobFailures {
    private JobFailures() {}

    public static String describe(MiniCluster miniCluster, Throwable jobFailure) throws Exception {
        StringBuilder out = new StringBuilder(ExceptionUtils.stringifyException(jobFailure));
        Optional<JobExecutionException> job =
                ExceptionUtils.findThrowable(jobFailure, JobExecutionException.class);
        if (job.isPresent()) {
            for (AccessExecutionVertex vertex :
                    miniCluster
                            .getExecutionGraph(job.get().getJobID())
                            .get()
                            .getAllExecutionVertices()) {
                vertex.getFailureInfo()
                        .ifPresent(
                                info ->
                                        out.append("\nsubtask ")
                                                .append(vertex.getTaskNameWithSubtaskIndex())
                                                .append(" failed: ")
                                                .append(info.getExceptionAsString()));
            }
            ExecutionGraphInfo info = miniCluster.getExecutionGraphInfo(job.get().getJobID()).get();
            for (RootExceptionHistoryEntry root : info.getExceptionHistory()) {
                append(out, "failover cause", root);
                for (ExceptionHistoryEntry concurrent : root.getConcurrentExceptions()) {
                    append(out, "concurrent failure", concurrent);
                }
            }
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String kind, ExceptionHistoryEntry entry) {
        out.append('\n')
                .append(kind)
                .append(" (")
                .append(entry.isGlobal() ? "global" : entry.getFailingTaskName())
                .append("): ")
                .append(entry.getExceptionAsString());
    }
}
