package io.github.posthogflink.jobs.cli;

import io.github.posthogflink.client.PostHogHosts;
import io.github.posthogflink.jobs.io.KafkaConnection;

import javax.annotation.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline's settings, from {@link PipelineCli#OPTIONS} and the environment. Holds the API
 * keys: {@link #toString()} masks them, and the job never puts this object into Flink's
 * configuration (operators get only the client configs they need, inside their serialized state).
 */
public record PipelineOptions(
        @Nullable String inputFile,
        @Nullable String kafkaBootstrapServers,
        @Nullable String kafkaTopic,
        String kafkaGroupId,
        Map<String, String> kafkaProperties,
        boolean bounded,
        @Nullable String posthogHost,
        @Nullable String posthogApiHost,
        @Nullable String projectId,
        @Nullable String projectApiKey,
        @Nullable String personalApiKey,
        FlagMode flags,
        List<String> flagKeys,
        boolean persons,
        @Nullable String hogqlJoin,
        String hogqlJoinKey,
        Duration hogqlPollInterval,
        @Nullable String outputFile,
        @Nullable String outputKafkaTopic,
        @Nullable String deadLetterFile,
        @Nullable String deadLetterTopic,
        boolean sinkToPostHog,
        SinkTuning sinkTuning,
        @Nullable Integer parallelism,
        @Nullable Duration checkpointInterval,
        int demoEvents,
        boolean preflight,
        boolean verbose) {

    /** How feature flags are evaluated. */
    public enum FlagMode {
        LOCAL,
        REMOTE,
        OFF
    }

    /**
     * Parses arguments (the keys may also come from {@code env}).
     *
     * @throws IllegalArgumentException with a message fit for the user (never a key)
     */
    public static PipelineOptions parse(String[] args, Map<String, String> env) {
        CommandLine cli = CommandLine.parse(args, PipelineCli.OPTIONS);
        String projectKey =
                cli.get("project-api-key")
                        .or(() -> nonBlank(env.get(PipelineCli.PROJECT_API_KEY_ENV)))
                        .orElse(null);
        String personalKey =
                cli.get("personal-api-key")
                        .or(() -> nonBlank(env.get(PipelineCli.PERSONAL_API_KEY_ENV)))
                        .orElse(null);
        String host = cli.get("posthog-host").map(PostHogHosts::normalize).orElse(null);
        String apiHost =
                cli.get("posthog-api-host")
                        .map(PostHogHosts::normalize)
                        .orElse(host == null ? null : PostHogHosts.apiHostFor(host));
        boolean hasPersonalKey = personalKey != null || host == null;
        FlagMode flags =
                cli.get("flags")
                        .map(v -> OptionValues.enumValue(FlagMode.class, "flags", v))
                        .orElse(hasPersonalKey ? FlagMode.LOCAL : FlagMode.OFF);
        boolean persons =
                cli.get("persons")
                        .map(v -> OptionValues.onOff("persons", v))
                        .orElse(hasPersonalKey);
        String sink = cli.get("sink").orElse("posthog").toLowerCase(Locale.ROOT);
        if (!sink.equals("posthog") && !sink.equals("none")) {
            throw new IllegalArgumentException("--sink must be posthog or none");
        }
        PipelineOptions options =
                new PipelineOptions(
                        cli.get("input").orElse(null),
                        cli.get("kafka-bootstrap-servers").orElse(null),
                        cli.get("kafka-topic").orElse(null),
                        cli.get("kafka-group-id").orElse("posthog-pipeline"),
                        cli.get("kafka-properties")
                                .map(file -> KafkaConnection.load(Path.of(file)))
                                .orElse(Map.of()),
                        OptionValues.flag(cli, "bounded"),
                        host,
                        apiHost,
                        cli.get("project-id").orElse(null),
                        projectKey,
                        personalKey,
                        flags,
                        cli.get("flag-keys").map(OptionValues::csv).orElse(List.of()),
                        persons,
                        cli.get("hogql-join").orElse(null),
                        cli.get("hogql-join-key").orElse("distinct_id"),
                        cli.get("hogql-poll-interval")
                                .map(v -> OptionValues.duration("hogql-poll-interval", v))
                                .orElse(Duration.ofMinutes(5)),
                        cli.get("output").orElse(null),
                        cli.get("output-kafka-topic").orElse(null),
                        cli.get("dead-letter").orElse(null),
                        cli.get("dead-letter-topic").orElse(null),
                        sink.equals("posthog"),
                        SinkTuning.parse(cli),
                        cli.get("parallelism")
                                .map(v -> OptionValues.positive("parallelism", v))
                                .orElse(null),
                        cli.get("checkpoint-interval")
                                .map(v -> OptionValues.duration("checkpoint-interval", v))
                                .orElse(null),
                        cli.get("demo-events")
                                .map(v -> OptionValues.positive("demo-events", v))
                                .orElse(10_000),
                        !OptionValues.flag(cli, "no-preflight"),
                        OptionValues.flag(cli, "verbose"));
        if (!options.sinkToPostHog) {
            for (String tuning : SinkTuning.OPTIONS) {
                if (cli.has(tuning)) {
                    throw new IllegalArgumentException("--" + tuning + " needs --sink posthog");
                }
            }
        }
        options.validate();
        return options;
    }

    /** True when no PostHog host is given: run against an embedded PostHog. */
    public boolean demo() {
        return posthogHost == null;
    }

    public boolean kafkaInput() {
        return kafkaTopic != null;
    }

    /** The brokers and the {@code --kafka-properties} every Kafka client of the job uses. */
    public KafkaConnection kafka() {
        return new KafkaConnection(kafkaBootstrapServers, kafkaProperties);
    }

    /** True when the input ends: a file, bounded Kafka, or the demo's generated events. */
    public boolean boundedInput() {
        return !kafkaInput() || bounded;
    }

    /**
     * The checkpoint interval in effect: the one given, else 30 s for an unbounded input and none
     * for a bounded one (a bounded job would otherwise wait for one more checkpoint before it
     * finishes; its outputs are flushed at the end of the input anyway). Zero means none.
     */
    public Duration effectiveCheckpointInterval() {
        if (checkpointInterval != null) {
            return checkpointInterval;
        }
        return boundedInput() ? Duration.ZERO : Duration.ofSeconds(30);
    }

    /**
     * A copy pointing at another PostHog (the demo's embedded one) with its keys, and this HogQL
     * join query when none was given.
     */
    public PipelineOptions withPostHog(
            String host,
            String projectId,
            String projectApiKey,
            String personalApiKey,
            @Nullable String defaultHogqlJoin) {
        return new PipelineOptions(
                inputFile,
                kafkaBootstrapServers,
                kafkaTopic,
                kafkaGroupId,
                kafkaProperties,
                bounded,
                host,
                host,
                projectId,
                projectApiKey,
                personalApiKey,
                flags,
                flagKeys,
                persons,
                hogqlJoin != null ? hogqlJoin : defaultHogqlJoin,
                hogqlJoinKey,
                hogqlPollInterval,
                outputFile,
                outputKafkaTopic,
                deadLetterFile,
                deadLetterTopic,
                sinkToPostHog,
                sinkTuning,
                parallelism,
                checkpointInterval,
                demoEvents,
                preflight,
                verbose);
    }

    private void validate() {
        if (inputFile != null && kafkaTopic != null) {
            throw new IllegalArgumentException("give either --input or --kafka-topic, not both");
        }
        boolean usesKafka =
                kafkaTopic != null || outputKafkaTopic != null || deadLetterTopic != null;
        if (usesKafka && kafkaBootstrapServers == null) {
            throw new IllegalArgumentException("Kafka topics need --kafka-bootstrap-servers");
        }
        if (!kafkaProperties.isEmpty()) {
            if (!usesKafka) {
                throw new IllegalArgumentException("--kafka-properties needs a Kafka topic");
            }
            kafka(); // refuses reserved keys
        }
        if (outputFile != null && outputKafkaTopic != null) {
            throw new IllegalArgumentException("give either --output or --output-kafka-topic");
        }
        if (deadLetterFile != null && deadLetterTopic != null) {
            throw new IllegalArgumentException("give either --dead-letter or --dead-letter-topic");
        }
        if (demo()) {
            return;
        }
        if (inputFile == null && kafkaTopic == null) {
            throw new IllegalArgumentException("--posthog-host needs --input or --kafka-topic");
        }
        if (sinkToPostHog && projectApiKey == null) {
            throw new IllegalArgumentException(
                    "sending to PostHog needs a project API key (env "
                            + PipelineCli.PROJECT_API_KEY_ENV
                            + ")");
        }
        if (flags != FlagMode.OFF && projectApiKey == null) {
            throw new IllegalArgumentException(
                    "--flags needs a project API key (env "
                            + PipelineCli.PROJECT_API_KEY_ENV
                            + ")");
        }
        if (flags == FlagMode.LOCAL && personalApiKey == null) {
            throw new IllegalArgumentException(
                    "--flags local needs a personal API key (env "
                            + PipelineCli.PERSONAL_API_KEY_ENV
                            + "); use --flags remote without one");
        }
        if ((persons || hogqlJoin != null) && personalApiKey == null) {
            throw new IllegalArgumentException(
                    "persons and --hogql-join need a personal API key (env "
                            + PipelineCli.PERSONAL_API_KEY_ENV
                            + ")");
        }
        if ((persons || hogqlJoin != null) && projectId == null) {
            throw new IllegalArgumentException("persons and --hogql-join need --project-id");
        }
    }

    private static Optional<String> nonBlank(@Nullable String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    @Override
    public String toString() {
        return "PipelineOptions{input="
                + (kafkaInput() ? "kafka:" + kafkaTopic : inputFile)
                + ", kafkaProperties="
                + new java.util.TreeSet<>(kafkaProperties.keySet())
                + ", posthogHost="
                + posthogHost
                + ", projectId="
                + projectId
                + ", projectApiKey="
                + (projectApiKey == null ? "none" : "***")
                + ", personalApiKey="
                + (personalApiKey == null ? "none" : "***")
                + ", flags="
                + flags
                + ", persons="
                + persons
                + ", hogqlJoin="
                + (hogqlJoin != null)
                + ", output="
                + (outputKafkaTopic != null ? "kafka:" + outputKafkaTopic : outputFile)
                + ", deadLetter="
                + (deadLetterTopic != null ? "kafka:" + deadLetterTopic : deadLetterFile)
                + ", sink="
                + (sinkToPostHog ? "posthog " + sinkTuning : "none")
                + ", preflight="
                + preflight
                + "}";
    }
}
