package io.github.posthogflink.benchmarks;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One MiniCluster for every job of a benchmark JVM, as a long-running Flink cluster runs job after
 * job: a local environment starts a cluster per job, and compiling that cluster's start-up code
 * kept the JIT busy during the measured run (C2 spent 9 s of CPU in a 3M-event sink run).
 */
final class SharedMiniCluster {
    private static MiniCluster cluster;

    private SharedMiniCluster() {}

    /** Runs the job built in {@code env} on the shared cluster, started on first use. */
    static void execute(StreamExecutionEnvironment env, int slots) throws Exception {
        env.setParallelism(slots);
        cluster(slots).executeJobBlocking(env.getStreamGraph().getJobGraph());
    }

    private static synchronized MiniCluster cluster(int slots) throws Exception {
        if (cluster == null) {
            MiniCluster started =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(new Configuration())
                                    .setNumTaskManagers(1)
                                    .setNumSlotsPerTaskManager(slots)
                                    .build());
            started.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::closeAsync));
            cluster = started;
        }
        return cluster;
    }
}
