package io.github.posthogflink.jobs.cli;

import io.github.posthogflink.client.PostHogHosts;
import io.github.posthogflink.jobs.io.KafkaConnection;

import org.apache.flink.util.TimeUtils;

import javax.annotation.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
        @Nullable Integer parallelism,
        @Nullable Duration checkpointInterval,
        int demoEvents) {

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
                        .map(v -> enumValue(FlagMode.class, "flags", v))
                        .orElse(hasPersonalKey ? FlagMode.LOCAL : FlagMode.OFF);
        boolean persons = cli.get("persons").map(v -> onOff("persons", v)).orElse(hasPersonalKey);
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
                        cli.has("bounded") && !"false".equals(cli.get("bounded").get()),
                        host,
                        apiHost,
                        cli.get("project-id").orElse(null),
                        projectKey,
                        personalKey,
                        flags,
                        cli.get("flag-keys").map(PipelineOptions::csv).orElse(List.of()),
                        persons,
                        cli.get("hogql-join").orElse(null),
                        cli.get("hogql-join-key").orElse("distinct_id"),
                        cli.get("hogql-poll-interval")
                                .map(v -> duration("hogql-poll-interval", v))
                                .orElse(Duration.ofMinutes(5)),
                        cli.get("output").orElse(null),
                        cli.get("output-kafka-topic").orElse(null),
                        cli.get("dead-letter").orElse(null),
                        cli.get("dead-letter-topic").orElse(null),
                        sink.equals("posthog"),
                        cli.get("parallelism").map(v -> positive("parallelism", v)).orElse(null),
                        cli.get("checkpoint-interval")
                                .map(v -> duration("checkpoint-interval", v))
                                .orElse(null),
                        cli.get("demo-events").map(v -> positive("demo-events", v)).orElse(10_000));
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
                parallelism,
                checkpointInterval,
                demoEvents);
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

    private static List<String> csv(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String option, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--" + option + " must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    private static boolean onOff(String option, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException("--" + option + " must be on or off");
        };
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new IllegalArgumentException("--" + option + " must be a positive integer");
    }

    private static Duration duration(String option, String value) {
        try {
            return TimeUtils.parseDuration(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--" + option + " must be a duration such as 500ms, 30s or 5min");
        }
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
                + (sinkToPostHog ? "posthog" : "none")
                + "}";
    }
}
