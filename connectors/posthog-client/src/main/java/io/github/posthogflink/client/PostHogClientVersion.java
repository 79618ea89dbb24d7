package io.github.posthogflink.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This library's version, as sent in {@code User-Agent} and {@code $lib_version}. */
public final class PostHogClientVersion {
    public static final String VERSION = load();

    private PostHogClientVersion() {}

    private static String load() {
        try (InputStream in =
                PostHogClientVersion.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
