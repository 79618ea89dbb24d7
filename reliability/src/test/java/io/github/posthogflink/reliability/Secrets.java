package io.github.posthogflink.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Recognisable keys for the cluster, and byte-level searches for them. */
final class Secrets {

    static final String PROJECT_KEY = "phc_RELIABILITYsecretProjectKey0123456789abcdef";
    static final String PERSONAL_KEY = "phx_RELIABILITYsecretPersonalKey0123456789abcdef";
    static final String WRONG_PROJECT_KEY = "phc_RELIABILITYsecretWrongKey0123456789abcdef";

    /** The distinctive middle of every key: also catches a key cut short. */
    static final List<String> MARKERS =
            List.of(PROJECT_KEY, PERSONAL_KEY, WRONG_PROJECT_KEY, "RELIABILITYsecret");

    private Secrets() {}

    /** Every regular file under root whose bytes contain a marker. */
    static List<String> filesContainingKeys(Path root) throws IOException {
        List<String> hits = new ArrayList<>();
        if (!Files.exists(root)) {
            return hits;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            for (String marker : MARKERS) {
                if (indexOf(bytes, marker.getBytes(StandardCharsets.UTF_8)) >= 0) {
                    hits.add(root.relativize(file) + " contains " + describe(marker));
                }
            }
        }
        return hits;
    }

    static void assertNoKeys(String where, String text) {
        for (String marker : MARKERS) {
            assertThat(text.contains(marker))
                    .as("%s contains %s", where, describe(marker))
                    .isFalse();
        }
    }

    /** Says which marker without printing a whole key. */
    private static String describe(String marker) {
        return marker.length() > 12 ? marker.substring(0, 8) + "…" : marker;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
