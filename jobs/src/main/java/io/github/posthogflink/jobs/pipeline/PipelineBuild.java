package io.github.posthogflink.jobs.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Which build of the pipeline runs: {@code version} and {@code build} from the jar's {@code
 * io/github/posthogflink/jobs/build.properties} (Maven fills them in; {@code -Dpipeline.build.id=}
 * sets the build id). The job shows them in its user config ({@code GET /jobs/:id/config}), so an
 * upgrade can be checked.
 */
public final class PipelineBuild {
    /** Keys of the job's global parameters. */
    public static final String VERSION_KEY = "posthog-pipeline.version";

    public static final String BUILD_KEY = "posthog-pipeline.build";

    private static final String RESOURCE = "/io/github/posthogflink/jobs/build.properties";

    private PipelineBuild() {}

    /** The version and build id, as the job's global parameters. */
    public static Map<String, String> parameters() {
        Properties properties = new Properties();
        try (InputStream in = PipelineBuild.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                VERSION_KEY, properties.getProperty("version", "unknown"),
                BUILD_KEY, properties.getProperty("build", "unknown"));
    }
}
