package io.github.posthogflink.connector.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster the connector's job tests run on: one TaskManager. */
public final class MiniClusters {
    private MiniClusters() {}

    public static MiniClusterExtension withSlots(int slots) {
        return withSlots(slots, new Configuration());
    }

    public static MiniClusterExtension withSlots(int slots, Configuration configuration) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(slots)
                        .setConfiguration(configuration)
                        .build());
    }
}
