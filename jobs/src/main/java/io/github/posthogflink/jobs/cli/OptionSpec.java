package io.github.posthogflink.jobs.cli;

import javax.annotation.Nullable;

/**
 * One command-line option: {@code --name VALUE} (or a switch without a value).
 *
 * @param name the option without its leading dashes
 * @param valueName how the value is shown in {@code --help}; null for a switch
 * @param description one line for {@code --help}
 * @param secret a key: accepted, never printed
 */
public record OptionSpec(
        String name, @Nullable String valueName, String description, boolean secret) {

    static OptionSpec value(String name, String valueName, String description) {
        return new OptionSpec(name, valueName, description, false);
    }

    static OptionSpec secret(String name, String valueName, String description) {
        return new OptionSpec(name, valueName, description, true);
    }

    static OptionSpec flag(String name, String description) {
        return new OptionSpec(name, null, description, false);
    }

    public boolean takesValue() {
        return valueName != null;
    }
}
