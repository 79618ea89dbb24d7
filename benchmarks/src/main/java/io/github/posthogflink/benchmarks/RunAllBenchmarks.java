package io.github.posthogflink.benchmarks;

import java.util.List;

/**
 * Runs every benchmark suite (or those an argument names exactly, or whose names contain it) and
 * prints a summary.
 */
public final class RunAllBenchmarks {
    private RunAllBenchmarks() {}

    public static void main(String[] args) throws Exception {
        List<Benchmark> suites =
                List.of(
                        new ClientCallBenchmark(),
                        new FlagEvaluationBenchmark(),
                        new FlagEnrichmentBenchmark(),
                        new PersonLookupBenchmark(),
                        new HogQLSourceBenchmark(),
                        new HogQLPushdownBenchmark(),
                        new SinkBenchmark(),
                        new SinkFaultBenchmark(),
                        new TestkitIngestBenchmark());
        Report report = new Report();
        for (Benchmark suite : suites) {
            if (args.length > 0
                    && List.of(args).stream().noneMatch(arg -> selects(arg, suite, suites))) {
                continue;
            }
            System.out.println("== " + suite.name());
            suite.run(report);
        }
        System.out.println();
        System.out.println("== summary");
        System.out.print(report.summary());
        System.exit(0); // the shared MiniCluster's threads would keep the JVM alive
    }

    /** A suite's exact name selects it alone; otherwise every suite whose name contains it. */
    private static boolean selects(String arg, Benchmark suite, List<Benchmark> suites) {
        boolean exact = suites.stream().anyMatch(s -> s.name().equals(arg));
        return exact ? suite.name().equals(arg) : suite.name().contains(arg);
    }
}
