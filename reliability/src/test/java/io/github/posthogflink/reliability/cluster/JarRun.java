package io.github.posthogflink.reliability.cluster;

import java.util.List;

/**
 * The body of {@code POST /jars/:id/run}, as {@code flink run} sends it.
 *
 * @param savepointPath a savepoint or retained checkpoint to start from, or null
 */
public record JarRun(
        String entryClass,
        List<String> programArgs,
        int parallelism,
        String savepointPath,
        boolean allowNonRestoredState) {

    public static JarRun of(String entryClass, List<String> programArgs) {
        return new JarRun(entryClass, List.copyOf(programArgs), 1, null, false);
    }

    public JarRun parallelism(int newParallelism) {
        return new JarRun(
                entryClass, programArgs, newParallelism, savepointPath, allowNonRestoredState);
    }

    public JarRun fromSavepoint(String path, boolean allowNonRestored) {
        return new JarRun(entryClass, programArgs, parallelism, path, allowNonRestored);
    }
}
