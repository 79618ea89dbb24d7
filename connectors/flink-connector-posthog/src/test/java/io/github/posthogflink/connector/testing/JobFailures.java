package io.github.posthogflink.connector.testing;

import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.util.ExceptionUtils;

import java.util.Optional;

/**
 * Why a job failed, as text: the failure its client saw, then each failed subtask's own cause from
 * the job's execution graph. Flink may report a follow-up failure as the job's cause (a source
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
        }
        return out.toString();
    }
}
