package io.github.posthogflink.jobs.pipeline;

import io.github.posthogflink.client.PostHogClientConfig;
import io.github.posthogflink.connector.enrich.flags.EvaluationMode;
import io.github.posthogflink.connector.sink.PostHogSink;
import io.github.posthogflink.connector.sink.PostHogSinkBuilder;
import io.github.posthogflink.jobs.cli.PipelineOptions;
import io.github.posthogflink.jobs.enrich.FlagAttacher;
import io.github.posthogflink.jobs.enrich.HogQLJoinAttacher;
import io.github.posthogflink.jobs.enrich.PersonAttacher;
import io.github.posthogflink.jobs.io.DeadLetterDestination;
import io.github.posthogflink.jobs.io.KafkaIo;
import io.github.posthogflink.jobs.io.NdjsonFileSink;
import io.github.posthogflink.jobs.io.NdjsonLineFormat;
import io.github.posthogflink.jobs.io.RawRecord;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import javax.annotation.Nullable;

/**
 * Builds the enrichment pipeline on a {@link StreamExecutionEnvironment}: source (NDJSON file,
 * Kafka, or a given source), validation with dead letters, enrichment (HogQL join, flags, persons),
 * then the outputs (file or Kafka) and PostHog's capture. Dead letters are the parser's rejects,
 * the events the sink's rules would refuse ({@link CaptureCheck}), and the events PostHog refuses
 * ({@link SinkDeadLetters}, the sink's error handler, writing to the same file or topic). Every
 * operator has a uid, so a savepoint restores into a new build of the job.
 *
 * <p>The API keys go only into the client configurations held by the operators that need them
 * (serialized with the operator), never into the job's configuration or logs.
 */
public final class PipelineJob {
    public static final String JOB_NAME = "posthog-pipeline";

    private PipelineJob() {}

    /** Builds the job reading the input given by the options (file or Kafka). */
    public static void build(StreamExecutionEnvironment env, PipelineOptions options) {
        build(env, options, null);
    }

    /**
     * Builds the job; {@code source} replaces the options' input (the embedded demo's generated
     * events).
     */
    public static void build(
            StreamExecutionEnvironment env,
            PipelineOptions options,
            @Nullable Source<RawRecord, ?, ?> source) {
        env.getConfig().setGlobalJobParameters(Configuration.fromMap(PipelineBuild.parameters()));
        if (options.parallelism() != null) {
            env.setParallelism(options.parallelism());
        }
        if (!options.effectiveCheckpointInterval().isZero()) {
            env.enableCheckpointing(options.effectiveCheckpointInterval().toMillis());
        }
        DataStream<RawRecord> raw =
                env.fromSource(
                                source != null ? source : inputSource(options),
                                WatermarkStrategy.noWatermarks(),
                                "input")
                        .uid("input");
        SingleOutputStreamOperator<PipelineEvent> valid =
                raw.process(new EventParser()).name("validate").uid("validate");
        DataStream<String> deadLetters = valid.getSideOutput(EventParser.DEAD_LETTERS);

        DataStream<PipelineEvent> enriched = valid;
        if (options.hogqlJoin() != null) {
            enriched =
                    HogQLJoinAttacher.attach(
                            enriched,
                            privateApiConfig(options),
                            options.hogqlJoin(),
                            options.hogqlJoinKey(),
                            options.hogqlPollInterval(),
                            options.boundedInput());
        }
        if (options.flags() != PipelineOptions.FlagMode.OFF) {
            enriched =
                    FlagAttacher.attach(
                            enriched,
                            privateApiConfig(options),
                            options.flags() == PipelineOptions.FlagMode.LOCAL
                                    ? EvaluationMode.LOCAL
                                    : EvaluationMode.REMOTE,
                            options.flagKeys());
        }
        if (options.persons()) {
            enriched = PersonAttacher.attach(enriched, privateApiConfig(options));
        }
        DataStream<PipelineEvent> out =
                enriched.map(new OutputCounter()).name("count").uid("count");
        writeOutput(out, options);
        if (options.sinkToPostHog()) {
            SingleOutputStreamOperator<PipelineEvent> capturable =
                    out.process(
                                    new CaptureCheck(
                                            PostHogSinkBuilder.DEFAULT_MAX_RECORD_SIZE_IN_BYTES))
                            .name("capture-check")
                            .uid("capture-check");
            deadLetters = deadLetters.union(capturable.getSideOutput(EventParser.DEAD_LETTERS));
            capturable.sinkTo(captureSink(options)).name("posthog").uid("posthog");
        }
        writeDeadLetters(deadLetters, options);
    }

    static Source<RawRecord, ?, ?> inputSource(PipelineOptions options) {
        if (options.kafkaInput()) {
            return KafkaIo.source(
                    options.kafka(),
                    options.kafkaTopic(),
                    options.kafkaGroupId(),
                    options.bounded());
        }
        if (options.inputFile() == null) {
            throw new IllegalArgumentException("no input: give --input or --kafka-topic");
        }
        return FileSource.forRecordStreamFormat(
                        new NdjsonLineFormat(options.inputFile()), new Path(options.inputFile()))
                .build();
    }

    private static void writeDeadLetters(DataStream<String> deadLetters, PipelineOptions options) {
        if (options.deadLetterFile() != null) {
            deadLetters
                    .sinkTo(NdjsonFileSink.appending(options.deadLetterFile()))
                    .setParallelism(1)
                    .name("dead-letters")
                    .uid("dead-letters");
        } else if (options.deadLetterTopic() != null) {
            deadLetters
                    .sinkTo(
                            KafkaIo.<String>sink(
                                    options.kafka(),
                                    options.deadLetterTopic(),
                                    line -> null,
                                    line -> line))
                    .name("dead-letters")
                    .uid("dead-letters");
        }
    }

    private static void writeOutput(DataStream<PipelineEvent> out, PipelineOptions options) {
        if (options.outputFile() != null) {
            out.map(PipelineEvent::json)
                    .name("to-json")
                    .uid("to-json")
                    .sinkTo(NdjsonFileSink.overwriting(options.outputFile()))
                    .setParallelism(1)
                    .name("output")
                    .uid("output");
        } else if (options.outputKafkaTopic() != null) {
            out.sinkTo(
                            KafkaIo.<PipelineEvent>sink(
                                    options.kafka(),
                                    options.outputKafkaTopic(),
                                    PipelineEvent::distinctId,
                                    PipelineEvent::json))
                    .name("output")
                    .uid("output");
        }
    }

    static PostHogSink<PipelineEvent> captureSink(PipelineOptions options) {
        PostHogClientConfig config =
                PostHogClientConfig.builder()
                        .host(options.posthogHost())
                        .apiHost(options.posthogApiHost())
                        .projectApiKey(options.projectApiKey())
                        .build();
        PostHogSinkBuilder<PipelineEvent> builder =
                PostHogSink.<PipelineEvent>builder()
                        .setClientConfig(config)
                        .setConverter(new CaptureConverter())
                        .setEventIdentity(PipelineEvent::uuid)
                        .setMaxRecordSizeInBytes(
                                PostHogSinkBuilder.DEFAULT_MAX_RECORD_SIZE_IN_BYTES)
                        .setErrorHandler(new SinkDeadLetters(deadLetterDestination(options)));
        return options.sinkTuning().applyTo(builder).build();
    }

    /** Where the PostHog sink's rejections go: the pipeline's dead-letter file or topic. */
    @Nullable
    static DeadLetterDestination deadLetterDestination(PipelineOptions options) {
        if (options.deadLetterFile() != null) {
            return DeadLetterDestination.file(options.deadLetterFile());
        }
        if (options.deadLetterTopic() != null) {
            return DeadLetterDestination.kafka(options.kafka(), options.deadLetterTopic());
        }
        return null;
    }

    /** The client configuration for the private API (persons, flags, HogQL). */
    static PostHogClientConfig privateApiConfig(PipelineOptions options) {
        PostHogClientConfig.Builder builder =
                PostHogClientConfig.builder()
                        .host(options.posthogHost())
                        .apiHost(options.posthogApiHost())
                        .projectApiKey(options.projectApiKey())
                        .personalApiKey(options.personalApiKey());
        if (options.projectId() != null) {
            builder.projectId(options.projectId());
        }
        return builder.build();
    }
}
