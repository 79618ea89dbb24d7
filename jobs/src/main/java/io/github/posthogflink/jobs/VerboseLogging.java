package io.github.posthogflink.jobs;

import org.apache.logging.log4j.core.config.Configurator;

import java.net.URISyntaxException;
import java.net.URL;

/**
 * {@code --verbose} in posthog-pipeline-demo.jar: switches its terse logging (Flink at ERROR, one
 * line per event) to {@code log4j2-verbose.properties} (Flink's warnings, whole stack traces).
 * Elsewhere (the lean jar on a cluster, tests) the file is absent and the logging stays as
 * configured.
 */
final class VerboseLogging {
    static final String CONFIG = "/log4j2-verbose.properties";
    private static final String CONFIGURATOR = "org.apache.logging.log4j.core.config.Configurator";

    private VerboseLogging() {}

    static void apply() {
        URL config = VerboseLogging.class.getResource(CONFIG);
        if (config != null && PipelineMain.onClasspath(CONFIGURATOR)) {
            Log4j.reconfigure(config);
        }
    }

    /** Loaded only where Log4j's core is on the classpath. */
    private static final class Log4j {
        static void reconfigure(URL config) {
            try {
                Configurator.reconfigure(config.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
