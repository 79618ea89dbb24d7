package io.github.posthogflink.jobs.pipeline;

import io.github.posthogflink.jobs.cli.PipelineCli;
import io.github.posthogflink.jobs.cli.PipelineOptions;

import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.api.transformations.SideOutputTransformation;
import org.apache.flink.streaming.api.transformations.UnionTransformation;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The job graph the options build, without running it. */
class PipelineJobTest {
    private static final String PROJECT_KEY = "phc_graphSecret111";
    private static final String PERSONAL_KEY = "phx_graphSecret222";

    @Test
    void keysStayOutOfTheJobConfigurationAndPlan() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineJob.build(env, options("--output", "out.ndjson", "--dead-letter", "dead.ndjson"));
        String plan = env.getExecutionPlan();
        assertThat(plan).contains("validate", "flags", "persons", "hogql-join", "posthog");
        for (String key : new String[] {PROJECT_KEY, PERSONAL_KEY}) {
            assertThat(plan).doesNotContain(key);
            assertThat(env.getConfiguration().toMap().toString()).doesNotContain(key);
            assertThat(env.getConfig().toString()).doesNotContain(key);
            assertThat(env.getConfig().getGlobalJobParameters().toMap().toString())
                    .doesNotContain(key);
        }
    }

    @Test
    void everyOperatorHasAUidSoSavepointsRestoreIntoNewBuilds() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineJob.build(env, options("--output", "out.ndjson", "--dead-letter", "dead.ndjson"));
        List<String> withoutUid = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        Deque<Transformation<?>> pending = new ArrayDeque<>(env.getTransformations());
        Set<Integer> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Transformation<?> t = pending.pop();
            if (!seen.add(t.getId())) {
                continue;
            }
            pending.addAll(t.getInputs());
            // Unions, side outputs and partitionings are virtual: no operator, no state.
            if (t instanceof UnionTransformation
                    || t instanceof SideOutputTransformation
                    || t instanceof PartitionTransformation) {
                continue;
            }
            if (t.getUid() == null) {
                withoutUid.add(t.getName());
            } else {
                uids.add(t.getUid());
            }
        }
        assertThat(withoutUid).isEmpty();
        assertThat(uids)
                .contains(
                        "input",
                        "validate",
                        "hogql-join-snapshots",
                        "hogql-join",
                        "count",
                        "capture-check",
                        "posthog",
                        "dead-letters");
    }

    @Test
    void theJobShowsWhichBuildRuns() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineJob.build(env, options());
        Map<String, String> parameters = env.getConfig().getGlobalJobParameters().toMap();
        assertThat(parameters.get(PipelineBuild.VERSION_KEY)).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(parameters.get(PipelineBuild.BUILD_KEY)).isNotBlank().doesNotContain("${");
    }

    @Test
    void boundedInputsAreNotCheckpointedUnlessAsked() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineJob.build(env, options());
        assertThat(env.getCheckpointConfig().isCheckpointingEnabled()).isFalse();

        StreamExecutionEnvironment checkpointed =
                StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineJob.build(checkpointed, options("--checkpoint-interval", "10s"));
        assertThat(checkpointed.getCheckpointConfig().getCheckpointInterval()).isEqualTo(10_000);
    }

    @Test
    void withoutEnrichmentOrSinkTheGraphIsJustValidationAndOutput() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineJob.build(
                env,
                PipelineOptions.parse(
                        new String[] {
                            "--input",
                            "events.ndjson",
                            "--posthog-host",
                            "http://h",
                            "--flags",
                            "off",
                            "--persons",
                            "off",
                            "--sink",
                            "none",
                            "--output",
                            "out.ndjson"
                        },
                        Map.of()));
        String plan = env.getExecutionPlan();
        assertThat(plan).contains("validate", "output").doesNotContain("flags", "persons");
    }

    private static PipelineOptions options(String... extra) {
        String[] base = {
            "--input", "events.ndjson",
            "--posthog-host", "https://eu.i.posthog.com",
            "--project-id", "12",
            "--hogql-join", "SELECT distinct_id, plan FROM plans"
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return PipelineOptions.parse(
                args,
                Map.of(
                        PipelineCli.PROJECT_API_KEY_ENV, PROJECT_KEY,
                        PipelineCli.PERSONAL_API_KEY_ENV, PERSONAL_KEY));
    }
}
