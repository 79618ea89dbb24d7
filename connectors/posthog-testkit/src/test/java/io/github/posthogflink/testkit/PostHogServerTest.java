package io.github.posthogflink.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The embeddable server works, and nothing but the JUnit wrapper needs JUnit. */
class PostHogServerTest {
    @Test
    void servesWithoutTheJUnitWrapper() {
        try (PostHogServer server = PostHogServer.builder().build().start()) {
            TestHttp.Reply reply =
                    new TestHttp(server.baseUrl())
                            .post(
                                    "/e/",
                                    "{\"event\":\"a\",\"distinct_id\":\"u\",\"token\":\""
                                            + server.projectApiKey()
                                            + "\"}");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(server.events()).hasSize(1);
        }
    }

    @Test
    void onlyPostHogTestServerReferencesJUnit() throws IOException {
        Path classes =
                Path.of(
                        PostHogServer.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .getPath());
        List<String> referencing;
        try (Stream<Path> files = Files.walk(classes)) {
            referencing =
                    files.filter(f -> f.toString().endsWith(".class"))
                            .filter(PostHogServerTest::mentionsJUnit)
                            .map(f -> classes.relativize(f).toString())
                            .toList();
        }

        assertThat(referencing)
                .containsExactly("io/github/posthogflink/testkit/PostHogTestServer.class");
    }

    private static boolean mentionsJUnit(Path classFile) {
        try (InputStream in = Files.newInputStream(classFile)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains("org/junit");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
