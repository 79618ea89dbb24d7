package io.github.posthogflink.jobs.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flink-style {@code --key value} arguments, checked against a list of {@link OptionSpec}s: unknown
 * options and missing values are errors. (Flink 2.x has {@code
 * org.apache.flink.util.ParameterTool}, but it accepts any key silently; a typo such as {@code
 * --posthog-hots} must fail instead.)
 */
public final class CommandLine {
    private final Map<String, String> values;

    private CommandLine(Map<String, String> values) {
        this.values = values;
    }

    /**
     * @throws IllegalArgumentException for an unknown option, a missing value or a repeated option;
     *     the message never contains a value
     */
    public static CommandLine parse(String[] args, List<OptionSpec> specs) {
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        specs.forEach(spec -> byName.put(spec.name(), spec));
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                throw new IllegalArgumentException(
                        "unexpected argument at position " + (i + 1) + " (options start with --)");
            }
            String name = arg.replaceFirst("^--?", "");
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            OptionSpec spec = byName.get(name);
            if (spec == null) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            String value;
            if (!spec.takesValue()) {
                value = inline == null ? "true" : inline;
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            if (values.put(name, value) != null) {
                throw new IllegalArgumentException("option --" + name + " is given twice");
            }
        }
        return new CommandLine(Collections.unmodifiableMap(values));
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The option names given, for messages (values are never exposed). */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    @Override
    public String toString() {
        return "CommandLine" + names();
    }
}
