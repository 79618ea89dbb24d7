package io.github.posthogflink.client.http;

import javax.annotation.Nullable;

import java.util.regex.Pattern;

/** Masks PostHog keys in text that may reach logs or exceptions. */
public final class Secrets {
    private static final Pattern KEY = Pattern.compile("\\b(phc|phx|phs)_[A-Za-z0-9_\\-]+");

    private Secrets() {}

    /** Replaces anything shaped like a PostHog key with {@code phc_***} (prefix kept). */
    @Nullable
    public static String redact(@Nullable String text) {
        if (text == null || text.indexOf('_') < 0) {
            return text;
        }
        return KEY.matcher(text).replaceAll("$1_***");
    }

    /** A key as shown in {@code toString}: its prefix only. */
    public static String mask(@Nullable String key) {
        if (key == null || key.isEmpty()) {
            return "<unset>";
        }
        int underscore = key.indexOf('_');
        return (underscore > 0 ? key.substring(0, underscore + 1) : "") + "***";
    }
}
