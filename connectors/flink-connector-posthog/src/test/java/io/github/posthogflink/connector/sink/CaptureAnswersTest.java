package io.github.posthogflink.connector.sink;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureAnswersTest {

    @Test
    void acceptsCapturesAnswers() {
        // rust/capture: {"status":"Ok"}, with quota_limited when a quota is hit; Django: status 1
        assertThat(CaptureAnswers.isCaptureAnswer(bytes("{\"status\":\"Ok\"}"))).isTrue();
        assertThat(
                        CaptureAnswers.isCaptureAnswer(
                                bytes("{\"status\":\"Ok\",\"quota_limited\":[\"events\"]}")))
                .isTrue();
        assertThat(CaptureAnswers.isCaptureAnswer(bytes("{\"status\": 1}"))).isTrue();
    }

    @Test
    void refusesAnythingElse() {
        assertThat(CaptureAnswers.isCaptureAnswer(bytes("<html>Welcome to nginx!</html>")))
                .isFalse();
        assertThat(CaptureAnswers.isCaptureAnswer(new byte[0])).isFalse();
        assertThat(CaptureAnswers.isCaptureAnswer(bytes("{\"status\":\"error\"}"))).isFalse();
        assertThat(CaptureAnswers.isCaptureAnswer(bytes("{\"ok\":true}"))).isFalse();
        assertThat(CaptureAnswers.isCaptureAnswer(bytes("{\"status\":0}"))).isFalse();
        assertThat(CaptureAnswers.isCaptureAnswer(bytes("{\"status\":\"Ok\""))).isFalse();
    }

    @Test
    void anExcerptIsShortOneLineAndKeyFree() {
        String key = "custom-project-key-123";
        String body =
                "<html>\n<head>  <title>Login</title></head>\n token="
                        + key
                        + " phc_abcdef "
                        + "x".repeat(500);

        String excerpt = CaptureAnswers.excerpt(bytes(body), key);

        assertThat(excerpt)
                .startsWith("'<html> <head> <title>Login</title></head> token=")
                .doesNotContain(key)
                .doesNotContain("phc_abcdef")
                .doesNotContain("\n")
                .contains("…")
                .endsWith("(" + body.length() + " bytes)");
        assertThat(excerpt.length()).isLessThan(CaptureAnswers.EXCERPT_CHARS + 30);
        assertThat(CaptureAnswers.excerpt(new byte[0], key)).isEqualTo("an empty body");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
