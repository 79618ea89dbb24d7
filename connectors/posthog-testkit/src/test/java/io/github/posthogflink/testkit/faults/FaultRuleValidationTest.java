package io.github.posthogflink.testkit.faults;

import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.TestHttp;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A fault rule over HTTP must say what it does: an empty body used to fail every route. */
class FaultRuleValidationTest {
    @RegisterExtension static PostHogTestServer posthog = PostHogTestServer.builder().build();

    private final TestHttp http = new TestHttp(posthog);

    @BeforeEach
    void reset() {
        posthog.reset();
    }

    @Test
    void anEmptyBodyIsA400NamingTheMissingFaultAndInstallsNothing() {
        for (String body : new String[] {"", "{}", "{\"path\":\"/batch/\",\"times\":1}"}) {
            TestHttp.Reply reply = http.post("/_testkit/faults", body);

            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.json().get("attr").asText()).isEqualTo("type");
            assertThat(reply.json().get("detail").asText()).contains("\"type\"", "\"status\"");
        }
        assertThat(posthog.faults().rules()).isEmpty();
        assertThat(
                        http.post(
                                        "/batch/",
                                        "{\"api_key\":\""
                                                + posthog.projectApiKey()
                                                + "\",\"batch\":[{\"event\":\"a\",\"distinct_id\":\"u\"}]}")
                                .status())
                .isEqualTo(200);
    }

    @Test
    void anUnknownFieldIsA400NamingIt() {
        TestHttp.Reply reply =
                http.post("/_testkit/faults", "{\"type\":\"status\",\"paht\":\"/batch/\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("attr").asText()).isEqualTo("paht");
        assertThat(posthog.faults().rules()).isEmpty();
    }

    @Test
    void aStatusAloneStillAppliesToEveryRoute() {
        TestHttp.Reply reply = http.post("/_testkit/faults", "{\"status\":502,\"times\":1}");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(http.get("/flags/definitions").status()).isEqualTo(502);
    }
}
