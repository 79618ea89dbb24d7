package io.github.posthogflink.benchmarks;

/** One benchmark suite: measures a subject and its baseline in the same run, prints ratios. */
interface Benchmark {
    String name();

    void run(Report report) throws Exception;
}
