package io.github.posthogflink.connector.table;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.table.factories.Factory;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/configuration.md lists every SQL option with its default, and every factory's options. */
class ConfigurationDocsTest {
    private static final Path DOCS = Path.of("../../docs/configuration.md");

    @Test
    void everyOptionAndItsDefaultIsDocumented() throws Exception {
        String docs = Files.readString(DOCS);
        List<String> missing = new ArrayList<>();
        for (ConfigOption<?> option : declaredOptions()) {
            String row = row(option);
            if (!docs.contains(row)) {
                missing.add(row);
            }
        }
        assertThat(missing).as("rows missing from " + DOCS).isEmpty();
    }

    @Test
    void everyFactoryOptionIsDocumentedUnderItsConnector() throws Exception {
        String docs = Files.readString(DOCS);
        Set<String> identifiers = new TreeSet<>();
        for (Factory factory : ServiceLoader.load(Factory.class)) {
            if (!factory.getClass().getPackageName().equals(getClass().getPackageName())) {
                continue;
            }
            identifiers.add(factory.factoryIdentifier());
            String section =
                    section(docs, "`" + factory.factoryIdentifier() + "`")
                            + section(docs, "Common options")
                            + section(docs, "Lookup cache");
            for (ConfigOption<?> option : factory.requiredOptions()) {
                assertThat(section).as(option.key()).contains("`" + option.key() + "`");
            }
            for (ConfigOption<?> option : factory.optionalOptions()) {
                assertThat(section).as(option.key()).contains("`" + option.key() + "`");
            }
        }
        assertThat(identifiers)
                .containsExactlyInAnyOrder(
                        "posthog", "posthog-persons", "posthog-flags", "posthog-hogql");
    }

    /** The docs' row start for an option: {@code | `key` | default |}. */
    static String row(ConfigOption<?> option) {
        return "| `" + option.key() + "` | " + defaultText(option) + " |";
    }

    static String defaultText(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return "—";
        }
        Object value = option.defaultValue();
        String text;
        if (value instanceof Duration d) {
            long ms = d.toMillis();
            text =
                    ms % 60_000 == 0
                            ? ms / 60_000 + "min"
                            : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        } else if (value instanceof MemorySize m) {
            long b = m.getBytes();
            text = b % (1 << 20) == 0 ? b / (1 << 20) + "mb" : b + "b";
        } else {
            text = String.valueOf(value);
        }
        return "`" + text + "`";
    }

    private static String section(String docs, String heading) {
        int start = docs.indexOf("### " + heading);
        assertThat(start).as("section " + heading).isNotNegative();
        int end = docs.indexOf("\n### ", start + 1);
        return end < 0 ? docs.substring(start) : docs.substring(start, end);
    }

    static List<ConfigOption<?>> declaredOptions() throws IllegalAccessException {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Class<?> type :
                List.of(
                        PostHogConnectorOptions.class,
                        PostHogAccessOptions.class,
                        HogQLConnectorOptions.class)) {
            for (Field field : type.getFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        && ConfigOption.class.isAssignableFrom(field.getType())) {
                    options.add((ConfigOption<?>) field.get(null));
                }
            }
        }
        return options;
    }
}
