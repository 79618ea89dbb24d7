package io.github.posthogflink.jobs.cli;

import io.github.posthogflink.client.PostHogCredentials;
import io.github.posthogflink.connector.sink.PostHogSinkBuilder;

import java.util.List;

/** Every option of the pipeline, in {@code --help} order. */
public final class PipelineCli {
    /** The project key's variable: the client's default, read here at submission. */
    public static final String PROJECT_API_KEY_ENV =
            PostHogCredentials.Key.PROJECT_API_KEY.defaultVariable();

    /** The personal key's variable: the client's default, read here at submission. */
    public static final String PERSONAL_API_KEY_ENV =
            PostHogCredentials.Key.PERSONAL_API_KEY.defaultVariable();

    public static final List<OptionSpec> OPTIONS =
            List.of(
                    OptionSpec.flag("help", "Print this help and exit."),
                    OptionSpec.flag(
                            "verbose",
                            "On failure, print the stack trace too; on a local run, show Flink's"
                                    + " warnings."),
                    OptionSpec.flag(
                            "no-preflight",
                            "Skip the checks of the PostHog hosts, keys, project and HogQL join"
                                    + " that run before the job is built."),
                    // Input
                    OptionSpec.value(
                            "input", "FILE", "Read capture events from an NDJSON file (bounded)."),
                    OptionSpec.value(
                            "kafka-bootstrap-servers",
                            "HOSTS",
                            "Kafka brokers for the input and Kafka outputs, e.g. kafka:9092."),
                    OptionSpec.value(
                            "kafka-topic", "TOPIC", "Read capture events from this topic."),
                    OptionSpec.value(
                            "kafka-group-id",
                            "ID",
                            "Consumer group of the Kafka input (default posthog-pipeline)."),
                    OptionSpec.flag(
                            "bounded", "Stop the Kafka input at the offsets latest at start."),
                    OptionSpec.value(
                            "kafka-properties",
                            "FILE",
                            "Kafka client properties for every Kafka client of the job (e.g."
                                    + " security.protocol, sasl.*, ssl.*); read at submission,"
                                    + " values never printed."),
                    // PostHog
                    OptionSpec.value(
                            "posthog-host",
                            "URL",
                            "PostHog ingestion host, e.g. https://eu.i.posthog.com. Without it:"
                                    + " the embedded demo (in-process PostHog, generated events)."),
                    OptionSpec.value(
                            "posthog-api-host",
                            "URL",
                            "PostHog API host (default: derived from --posthog-host)."),
                    OptionSpec.value("project-id", "N", "PostHog project id (persons, HogQL)."),
                    OptionSpec.secret(
                            "project-api-key",
                            "KEY",
                            "Project API key phc_... (prefer env " + PROJECT_API_KEY_ENV + ")."),
                    OptionSpec.secret(
                            "personal-api-key",
                            "KEY",
                            "Personal API key phx_... (prefer env " + PERSONAL_API_KEY_ENV + ")."),
                    // Enrichment
                    OptionSpec.value(
                            "flags",
                            "local|remote|off",
                            "Feature flag enrichment (default local with a personal key, else"
                                    + " off)."),
                    OptionSpec.value(
                            "flag-keys", "K1,K2", "Only these flags (default: every active flag)."),
                    OptionSpec.value(
                            "persons",
                            "on|off",
                            "Attach the PostHog person (default on with a personal key)."),
                    OptionSpec.value(
                            "hogql-join",
                            "SQL",
                            "HogQL query whose rows are joined to events; non-key columns become"
                                    + " properties."),
                    OptionSpec.value(
                            "hogql-join-key",
                            "COLUMN",
                            "Join column of --hogql-join matched to the distinct id (default"
                                    + " distinct_id)."),
                    OptionSpec.value(
                            "hogql-poll-interval",
                            "DURATION",
                            "How often an unbounded job re-runs --hogql-join (default 5 min)."),
                    // Output
                    OptionSpec.value("output", "FILE", "Write the enriched events as NDJSON."),
                    OptionSpec.value(
                            "output-kafka-topic", "TOPIC", "Write the enriched events to Kafka."),
                    OptionSpec.value(
                            "dead-letter", "FILE", "Write rejected input records as NDJSON."),
                    OptionSpec.value(
                            "dead-letter-topic", "TOPIC", "Write rejected input records to Kafka."),
                    OptionSpec.value(
                            "sink",
                            "posthog|none",
                            "Send the enriched events to PostHog's capture (default posthog)."),
                    // Capture tuning
                    OptionSpec.flag(
                            "historical-migration",
                            "Send with historical_migration: true, PostHog's path for backfills"
                                    + " (events older than about 48 h)."),
                    OptionSpec.value(
                            "batch-size",
                            "N",
                            "Events per capture request (default "
                                    + PostHogSinkBuilder.DEFAULT_MAX_BATCH_SIZE
                                    + "; requests also stay under "
                                    + PostHogSinkBuilder.DEFAULT_MAX_BATCH_SIZE_IN_BYTES
                                            / (1024 * 1024)
                                    + " MiB)."),
                    OptionSpec.value(
                            "max-in-flight",
                            "N",
                            "Capture requests in flight per sink subtask (default "
                                    + PostHogSinkBuilder.DEFAULT_MAX_IN_FLIGHT_REQUESTS
                                    + ")."),
                    OptionSpec.value(
                            "flush-interval",
                            "DURATION",
                            "Longest time an event waits for a fuller batch (default "
                                    + PostHogSinkBuilder.DEFAULT_MAX_TIME_IN_BUFFER_MS
                                    + "ms)."),
                    OptionSpec.value(
                            "delivery-timeout",
                            "DURATION",
                            // The sink's DEFAULT_DELIVERY_TIMEOUT (a Duration, not a constant
                            // this Flink-free class may read; PipelineOptionsTest checks it).
                            "How long events may keep failing with retryable errors before the job"
                                    + " fails (default 10min)."),
                    OptionSpec.value(
                            "max-retries",
                            "N",
                            "Retries per event before the job fails (default: unbounded within"
                                    + " --delivery-timeout; 0 fails at the first)."),
                    // Runtime
                    OptionSpec.value("parallelism", "N", "Job parallelism (default: Flink's)."),
                    OptionSpec.value(
                            "checkpoint-interval",
                            "DURATION",
                            "Checkpoint every DURATION, e.g. 30s (default: 30s for unbounded Kafka,"
                                    + " off for bounded inputs; 0 = off)."),
                    OptionSpec.value(
                            "demo-events",
                            "N",
                            "Events generated by the embedded demo (default 10000)."));

    private PipelineCli() {}

    /** The text of {@code --help}. */
    public static String help() {
        StringBuilder out = new StringBuilder();
        out.append("posthog-pipeline: enrich PostHog capture events with feature flags, persons")
                .append(" and HogQL rows, then send them to PostHog, Kafka or a file.\n\n")
                .append("Usage: flink run posthog-pipeline.jar [options]\n")
                .append("       java -jar posthog-pipeline-demo.jar [options]\n\n")
                .append("Options:\n");
        for (OptionSpec spec : OPTIONS) {
            String left = "  --" + spec.name() + (spec.takesValue() ? " " + spec.valueName() : "");
            out.append(left);
            out.append(" ".repeat(Math.max(2, 40 - left.length())));
            out.append(spec.description()).append('\n');
        }
        out.append("\nKeys come from the environment (")
                .append(PROJECT_API_KEY_ENV)
                .append(", ")
                .append(PERSONAL_API_KEY_ENV)
                .append(") or the options above; they are never printed.\n");
        return out.toString();
    }
}
