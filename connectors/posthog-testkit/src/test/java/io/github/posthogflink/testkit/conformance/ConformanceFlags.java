package io.github.posthogflink.testkit.conformance;

import io.github.posthogflink.testkit.TestkitSeeds;
import io.github.posthogflink.testkit.http.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The flags every SDK is asked about: {@code pricing} (multivariate, every id gets {@code test},
 * payload {@code {"price":10}}), {@code beta} (everyone), {@code nobody} (no one) and {@code
 * acme-only} (persons whose email contains {@code @acme.com}).
 */
final class ConformanceFlags {
    private ConformanceFlags() {}

    static void seed(TestkitSeeds seeds) {
        ObjectNode pricing = Json.object().put("key", "pricing");
        ObjectNode filters = pricing.putObject("filters");
        filters.putArray("groups").addObject().put("rollout_percentage", 100);
        filters.putObject("multivariate")
                .putArray("variants")
                .add(Json.object().put("key", "control").put("rollout_percentage", 0))
                .add(Json.object().put("key", "test").put("rollout_percentage", 100));
        filters.putObject("payloads").put("test", "{\"price\":10}");
        seeds.createFlag(pricing);
        seeds.createFlag("beta", 100);
        seeds.createFlag("nobody", 0);
        ObjectNode acmeOnly = Json.object().put("key", "acme-only");
        ObjectNode group = acmeOnly.putObject("filters").putArray("groups").addObject();
        group.putArray("properties")
                .addObject()
                .put("key", "email")
                .put("operator", "icontains")
                .put("value", "@acme.com")
                .put("type", "person");
        group.put("rollout_percentage", 100);
        seeds.createFlag(acmeOnly);
    }
}
