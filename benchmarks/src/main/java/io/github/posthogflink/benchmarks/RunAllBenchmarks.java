package io.github.posthogflink.benchmarks;

import java.util.List;

/** Runs every benchmark suite (or those whose names contain an argument) and prints a summary. */
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
            if (args.length > 0 && List.of(args).stream().noneMatch(suite.name()::contains)) {
                continue;
            }
            System.out.println("== " + suite.name());
            suite.run(report);
        }
        System.out.println();
        System.out.println("== summary");
        System.out.print(report.summary());
    }
}
