package io.github.posthogflink.client.testing;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Captures everything logged under some logger names, at every level, for the duration of a test:
 * level, logger, formatted message and the full stack trace of any attached throwable.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {
    private final List<String> loggerNames;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private CapturingAppender appender;

    public LogCapture(String... loggerNames) {
        this.loggerNames = List.of(loggerNames);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        appender = new CapturingAppender();
        appender.start();
        config.addAppender(appender);
        for (String name : loggerNames) {
            LoggerConfig logger =
                    LoggerConfig.newBuilder()
                            .withLoggerName(name)
                            .withLevel(Level.ALL)
                            .withAdditivity(false)
                            .withConfig(config)
                            .build();
            logger.addAppender(appender, Level.ALL, null);
            config.addLogger(name, logger);
        }
        ctx.updateLoggers();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        for (String name : loggerNames) {
            config.removeLogger(name);
        }
        ctx.updateLoggers();
        appender.stop();
    }

    /** Every captured event, rendered with its stack trace. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The captured events of one logger prefix. */
    public List<String> linesOf(String loggerPrefix) {
        return lines.stream().filter(l -> l.split(" ", 3)[1].startsWith(loggerPrefix)).toList();
    }

    private final class CapturingAppender extends AbstractAppender {
        CapturingAppender() {
            super("test-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            StringBuilder line =
                    new StringBuilder()
                            .append(event.getLevel())
                            .append(' ')
                            .append(event.getLoggerName())
                            .append(' ')
                            .append(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                StringWriter trace = new StringWriter();
                event.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            lines.add(line.toString());
        }
    }
}
