package io.github.posthogflink.connector.table;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Locale;

/**
 * Enum options spelled as Flink spells its own ({@code 'LOG_AND_CONTINUE'}, as {@code
 * 'AT_LEAST_ONCE'}, any case), which also take the kebab-case spellings of earlier releases ({@code
 * 'log-and-continue'}, {@code 'distinct-id'}) as deprecated aliases, with a warning.
 */
final class EnumOptions {
    private static final Logger LOG = LoggerFactory.getLogger(EnumOptions.class);

    private EnumOptions() {}

    /**
     * The option as a factory declares it: a string, so that Flink's validation lets the aliases
     * through; {@link #get} parses it.
     */
    static ConfigOption<String> lenient(ConfigOption<? extends Enum<?>> option) {
        return ConfigOptions.key(option.key()).stringType().noDefaultValue();
    }

    /** The option's value, by name in any case, or by a deprecated kebab-case alias. */
    static <E extends Enum<E>> E get(ReadableConfig options, ConfigOption<E> option) {
        return options.getOptional(lenient(option))
                .map(value -> parse(option, value))
                .orElseGet(option::defaultValue);
    }

    private static <E extends Enum<E>> E parse(ConfigOption<E> option, String value) {
        @SuppressWarnings("unchecked")
        Class<E> type = (Class<E>) option.defaultValue().getDeclaringClass();
        String name = value.trim().toUpperCase(Locale.ROOT);
        boolean alias = name.indexOf('-') >= 0;
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(alias ? name.replace('-', '_') : name)) {
                if (alias) {
                    LOG.warn(
                            "Option '{}' = '{}' is deprecated; write '{}'.",
                            option.key(),
                            value,
                            constant.name());
                }
                return constant;
            }
        }
        throw new ValidationException(
                "Option '"
                        + option.key()
                        + "' must be one of "
                        + Arrays.toString(type.getEnumConstants())
                        + ", not '"
                        + value
                        + "'.");
    }
}
