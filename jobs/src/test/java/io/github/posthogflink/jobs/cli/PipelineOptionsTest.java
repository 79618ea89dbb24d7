package io.github.posthogflink.jobs.cli;

import io.github.posthogflink.connector.sink.PostHogSinkBuilder;
import io.github.posthogflink.jobs.PipelineMain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineOptionsTest {
    private static final String PROJECT_KEY = "phc_projectSecret123";
    private static final String PERSONAL_KEY = "phx_personalSecret456";

    @Test
    void helpListsEveryOption() throws Exception {
        Output output = runMain("--help");
        assertThat(output.code).isZero();
        List<String> expected =
                List.of(
                        "help",
                        "input",
                        "kafka-bootstrap-servers",
                        "kafka-topic",
                        "kafka-group-id",
                        "bounded",
                        "posthog-host",
                        "posthog-api-host",
                        "project-id",
                        "project-api-key",
                        "personal-api-key",
                        "flags",
                        "flag-keys",
                        "persons",
                        "hogql-join",
                        "hogql-join-key",
                        "hogql-poll-interval",
                        "output",
                        "output-kafka-topic",
                        "dead-letter",
                        "dead-letter-topic",
                        "sink",
                        "parallelism",
                        "checkpoint-interval",
                        "kafka-properties",
                        "verbose",
                        "no-preflight",
                        "historical-migration",
                        "batch-size",
                        "max-in-flight",
                        "flush-interval",
                        "delivery-timeout",
                        "max-retries");
        for (String option : expected) {
            assertThat(output.out).contains("--" + option + " ");
        }
        for (OptionSpec spec : PipelineCli.OPTIONS) {
            assertThat(output.out).contains("--" + spec.name());
        }
        assertThat(output.out).contains("POSTHOG_PROJECT_API_KEY", "POSTHOG_PERSONAL_API_KEY");
        // --help cannot read the sink's Duration default (it runs without Flink): same value
        assertThat(output.out)
                .contains(
                        "(default "
                                + PostHogSinkBuilder.DEFAULT_DELIVERY_TIMEOUT.toMinutes()
                                + "min)");
    }

    @Test
    void sinkTuningAndBackfillOptionsMapOntoTheSink() {
        PipelineOptions options =
                parse(
                        "--input",
                        "in.ndjson",
                        "--posthog-host",
                        "http://h",
                        "--project-api-key",
                        PROJECT_KEY,
                        "--persons",
                        "off",
                        "--flags",
                        "off",
                        "--historical-migration",
                        "--batch-size",
                        "500",
                        "--max-in-flight",
                        "2",
                        "--flush-interval",
                        "250ms",
                        "--delivery-timeout",
                        "90s",
                        "--max-retries",
                        "0",
                        "--no-preflight",
                        "--verbose");
        assertThat(options.sinkTuning())
                .isEqualTo(
                        new SinkTuning(
                                500, 2, Duration.ofMillis(250), Duration.ofSeconds(90), 0, true));
        assertThat(options.preflight()).isFalse();
        assertThat(options.verbose()).isTrue();
        assertThat(options.toString()).doesNotContain(PROJECT_KEY);

        PipelineOptions defaults =
                parse("--input", "in.ndjson", "--posthog-host", "http://h", "--sink", "none");
        assertThat(defaults.sinkTuning()).isEqualTo(SinkTuning.defaults());
        assertThat(defaults.sinkTuning().maxRetries()).isNull();
        assertThat(defaults.preflight()).isTrue();
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--input",
                                        "in.ndjson",
                                        "--posthog-host",
                                        "http://h",
                                        "--sink",
                                        "none",
                                        "--batch-size",
                                        "10"))
                .hasMessage("--batch-size needs --sink posthog");
        assertThatThrownBy(() -> parse("--max-retries", "-1")).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> parse("--flush-interval", "0ms"))
                .hasMessageContaining("longer than 0");
    }

    @Test
    void theModuleReadmeDocumentsEveryOption() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (OptionSpec spec : PipelineCli.OPTIONS) {
            assertThat(readme).as("jobs/README.md").contains("`--" + spec.name());
        }
    }

    @Test
    void keysComeFromTheEnvironmentAndAreNeverPrinted() {
        PipelineOptions options =
                PipelineOptions.parse(
                        new String[] {
                            "--input",
                            "events.ndjson",
                            "--posthog-host",
                            "https://eu.i.posthog.com",
                            "--project-id",
                            "12"
                        },
                        Map.of(
                                PipelineCli.PROJECT_API_KEY_ENV, PROJECT_KEY,
                                PipelineCli.PERSONAL_API_KEY_ENV, PERSONAL_KEY));
        assertThat(options.projectApiKey()).isEqualTo(PROJECT_KEY);
        assertThat(options.personalApiKey()).isEqualTo(PERSONAL_KEY);
        assertThat(options.posthogApiHost()).isEqualTo("https://eu.posthog.com");
        assertThat(options.flags()).isEqualTo(PipelineOptions.FlagMode.LOCAL);
        assertThat(options.persons()).isTrue();
        assertThat(options.toString()).doesNotContain(PROJECT_KEY, PERSONAL_KEY).contains("***");
    }

    @Test
    void keysGivenAsOptionsNeverAppearInErrors() throws Exception {
        Output output =
                runMain(
                        "--project-api-key",
                        PROJECT_KEY,
                        "--personal-api-key",
                        PERSONAL_KEY,
                        "--posthog-host",
                        "http://localhost:1",
                        "--no-such-option",
                        "x");
        assertThat(output.code).isEqualTo(2);
        assertThat(output.err).contains("unknown option --no-such-option");
        assertThat(output.out + output.err).doesNotContain(PROJECT_KEY, PERSONAL_KEY);

        Output missingInput =
                runMain(
                        "--project-api-key",
                        PROJECT_KEY,
                        "--posthog-host",
                        "http://localhost:1",
                        "--persons",
                        "off");
        assertThat(missingInput.code).isEqualTo(2);
        assertThat(missingInput.err).contains("needs --input or --kafka-topic");
        assertThat(missingInput.out + missingInput.err).doesNotContain(PROJECT_KEY);
    }

    @Test
    void parsesEveryKindOfValue() {
        PipelineOptions options =
                PipelineOptions.parse(
                        new String[] {
                            "--kafka-bootstrap-servers",
                            "kafka:9092",
                            "--kafka-topic",
                            "events",
                            "--bounded",
                            "--posthog-host",
                            "http://posthog:8010",
                            "--posthog-api-host",
                            "http://api:8000/",
                            "--project-id",
                            "7",
                            "--flags",
                            "remote",
                            "--flag-keys",
                            "a, b,,c",
                            "--persons",
                            "off",
                            "--hogql-join",
                            "SELECT distinct_id, plan FROM persons",
                            "--hogql-poll-interval",
                            "90s",
                            "--output-kafka-topic",
                            "enriched",
                            "--dead-letter-topic",
                            "dead",
                            "--sink",
                            "none",
                            "--parallelism",
                            "3",
                            "--checkpoint-interval",
                            "10s"
                        },
                        Map.of(
                                PipelineCli.PROJECT_API_KEY_ENV, PROJECT_KEY,
                                PipelineCli.PERSONAL_API_KEY_ENV, PERSONAL_KEY));
        assertThat(options.kafkaInput()).isTrue();
        assertThat(options.bounded()).isTrue();
        assertThat(options.kafkaGroupId()).isEqualTo("posthog-pipeline");
        assertThat(options.posthogApiHost()).isEqualTo("http://api:8000");
        assertThat(options.flags()).isEqualTo(PipelineOptions.FlagMode.REMOTE);
        assertThat(options.flagKeys()).containsExactly("a", "b", "c");
        assertThat(options.persons()).isFalse();
        assertThat(options.hogqlJoinKey()).isEqualTo("distinct_id");
        assertThat(options.hogqlPollInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.sinkToPostHog()).isFalse();
        assertThat(options.parallelism()).isEqualTo(3);
        assertThat(options.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.demo()).isFalse();
    }

    @Test
    void rejectsInconsistentOptions() {
        assertThatThrownBy(() -> parse("--input", "a", "--kafka-topic", "t"))
                .hasMessageContaining("either --input or --kafka-topic");
        assertThatThrownBy(() -> parse("--kafka-topic", "t"))
                .hasMessageContaining("--kafka-bootstrap-servers");
        assertThatThrownBy(() -> parse("--flags", "sometimes")).hasMessageContaining("--flags");
        assertThatThrownBy(() -> parse("--parallelism", "0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> parse("--input")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> parse("--input", "a", "--input", "b"))
                .hasMessageContaining("twice");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "--input",
                                        "a",
                                        "--posthog-host",
                                        "http://h",
                                        "--persons",
                                        "off",
                                        "--flags",
                                        "off"))
                .hasMessageContaining("POSTHOG_PROJECT_API_KEY");
    }

    @Test
    void kafkaPropertiesAreReadFromAFileAndPrintedByNameOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(
                file,
                "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required username=\"u\" password=\"kafka-pw-secret\";\n");
        PipelineOptions options = kafkaWithProperties(file);

        assertThat(options.kafka().clientProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "k:9092");
        assertThat(options.kafka().properties().get("sasl.jaas.config"))
                .contains("kafka-pw-secret");
        assertThat(options.toString())
                .contains("sasl.jaas.config")
                .doesNotContain("kafka-pw-secret");
        assertThat(options.kafka().toString()).doesNotContain("kafka-pw-secret", "SASL_SSL");
    }

    @Test
    void kafkaPropertiesMayNotOverrideWhatThePipelineSets(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, "bootstrap.servers=elsewhere:9092\n");

        assertThatThrownBy(() -> kafkaWithProperties(file))
                .hasMessageContaining("use --kafka-bootstrap-servers");
        assertThatThrownBy(
                        () -> parse("--input", "in.ndjson", "--kafka-properties", file.toString()))
                .hasMessageContaining("--kafka-properties needs a Kafka topic");
        assertThatThrownBy(() -> kafkaWithProperties(dir.resolve("missing.properties")))
                .hasMessageContaining("cannot read --kafka-properties");
    }

    private static PipelineOptions kafkaWithProperties(Path file) {
        return parse(
                "--kafka-bootstrap-servers",
                "k:9092",
                "--kafka-topic",
                "events",
                "--kafka-properties",
                file.toString(),
                "--sink",
                "none");
    }

    @Test
    void withoutHostItIsTheDemo() {
        PipelineOptions options = parse();
        assertThat(options.demo()).isTrue();
        assertThat(options.demoEvents()).isEqualTo(10_000);
        assertThat(options.effectiveCheckpointInterval()).isZero();
        assertThat(
                        parse("--kafka-bootstrap-servers", "k:9092", "--kafka-topic", "t")
                                .effectiveCheckpointInterval())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(options.persons()).isTrue();
    }

    private static PipelineOptions parse(String... args) {
        return PipelineOptions.parse(args, Map.of());
    }

    private record Output(int code, String out, String err) {}

    private static Output runMain(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                PipelineMain.run(
                        args,
                        Map.of(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
