package io.github.posthogflink.testkit.http;

import java.util.regex.Pattern;

/**
 * Hides PostHog keys ({@code phc_}, {@code phx_}, {@code phs_}) in text meant for logs or errors.
 */
public final class Secrets {
    private static final Pattern KEY = Pattern.compile("ph[cxs]_[A-Za-z0-9_\\-]+");

    private Secrets() {}

    public static String redact(String text) {
        return text == null
                ? null
                : KEY.matcher(text).replaceAll(m -> m.group().substring(0, 4) + "***");
    }
}
