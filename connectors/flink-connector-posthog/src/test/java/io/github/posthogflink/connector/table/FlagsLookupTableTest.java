package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.http.Json;
import io.github.posthogflink.connector.testing.MiniClusters;
import io.github.posthogflink.testkit.PostHogTestServer;
import io.github.posthogflink.testkit.faults.FaultRule;
import io.github.posthogflink.testkit.faults.RouteMatcher;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Lookup joins against a {@code posthog-flags} table, evaluated locally from the testkit. */
class FlagsLookupTableTest {

    @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.withSlots(2);

    @RegisterExtension
    static PostHogTestServer posthog =
            PostHogTestServer.builder().groupTypeMapping(Map.of(0, "company")).build();

    @BeforeEach
    void seed() {
        posthog.reset();
        posthog.seed().createFlag("beta", 100);
        posthog.seed().createFlag("dark-launch", 0);
        ObjectNode variant =
                (ObjectNode)
                        Json.tree(
                                ("{\"key\": \"checkout\", \"name\": \"Checkout\", \"active\": true,"
                                     + " \"filters\": {\"groups\": [{\"properties\": [],"
                                     + " \"rollout_percentage\": 100}], \"multivariate\":"
                                     + " {\"variants\": [{\"key\": \"express\","
                                     + " \"rollout_percentage\": 100}]}}}")
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        posthog.seed().createFlag(variant);
        ObjectNode companyFlag =
                (ObjectNode)
                        Json.tree(
                                ("{\"key\": \"company-flag\", \"name\": \"Company\","
                                                + " \"active\": true, \"filters\":"
                                                + " {\"aggregation_group_type_index\": 0,"
                                                + " \"groups\": [{\"properties\": [],"
                                                + " \"rollout_percentage\": 100}]}}")
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        posthog.seed().createFlag(companyFlag);
    }

    @Test
    void groupFlagsNeedTheGroupsKey() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE flags (distinct_id STRING, `groups` STRING, `company-flag` BOOLEAN)"
                        + " WITH ("
                        + flagsOptions()
                        + ")");
        env.executeSql(
                "CREATE TEMPORARY VIEW e AS SELECT id, grp, PROCTIME() AS pt FROM (VALUES ('u1',"
                        + " '{\"company\": \"acme\"}'), ('u2', '{}')) AS t(id, grp)");
        List<Row> rows =
                collect(
                        env,
                        "SELECT e.id, f.`company-flag` FROM e JOIN flags FOR SYSTEM_TIME AS OF"
                                + " e.pt AS f ON e.id = f.distinct_id AND e.grp = f.`groups`");
        Map<Object, Object> byId =
                rows.stream()
                        .collect(
                                java.util.stream.Collectors.toMap(
                                        r -> r.getField(0), r -> r.getField(1)));
        assertThat(byId).containsEntry("u1", true).containsEntry("u2", false);
    }

    @Test
    void flagColumnsMapAndActiveFlagsFromLocalEvaluation() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE flags (distinct_id STRING, flags MAP<STRING, STRING>, active_flags"
                        + " ARRAY<STRING>, complete BOOLEAN, beta BOOLEAN, checkout STRING) WITH ("
                        + flagsOptions()
                        + ", 'flags.keys' = 'beta;dark-launch;checkout')");
        env.executeSql(
                "CREATE TEMPORARY VIEW e AS SELECT id, PROCTIME() AS pt FROM (VALUES ('u1'),"
                        + " ('u2'), ('u3')) AS t(id)");
        List<Row> rows =
                collect(
                        env,
                        "SELECT e.id, f.beta, f.checkout, f.flags['dark-launch'], f.active_flags,"
                                + " f.complete FROM e JOIN flags FOR SYSTEM_TIME AS OF e.pt AS f"
                                + " ON e.id = f.distinct_id");
        assertThat(rows).hasSize(3);
        for (Row row : rows) {
            assertThat(row.getField(1)).as(row.toString()).isEqualTo(true);
            assertThat(row.getField(2)).isEqualTo("express");
            assertThat(row.getField(3)).isEqualTo("false");
            assertThat((String[]) row.getField(4)).containsExactly("beta", "checkout");
            assertThat(row.getField(5)).isEqualTo(true);
        }
        assertThat(posthog.requests())
                .as("decided locally: no /flags call")
                .noneMatch(r -> r.path().startsWith("/flags") && r.method().equals("POST"));
    }

    @Test
    void remoteModeAnswersFromFlagsEndpoint() throws Exception {
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE flags (distinct_id STRING, beta STRING) WITH ('connector' ="
                        + " 'posthog-flags', 'host' = '"
                        + posthog.baseUrl()
                        + "', 'project-api-key' = '"
                        + posthog.projectApiKey()
                        + "', 'flags.mode' = 'remote')");
        env.executeSql(
                "CREATE TEMPORARY VIEW e AS SELECT id, PROCTIME() AS pt FROM (VALUES ('u1'))"
                        + " AS t(id)");
        List<Row> rows =
                collect(
                        env,
                        "SELECT e.id, f.beta FROM e LEFT JOIN flags FOR SYSTEM_TIME AS OF e.pt AS"
                                + " f ON e.id = f.distinct_id");
        assertThat(rows)
                .singleElement()
                .satisfies(r -> assertThat(r.getField(1)).isEqualTo("true"));
        assertThat(posthog.requests()).anyMatch(r -> r.path().startsWith("/flags"));
    }

    @Test
    void lookupMaxRetriesBoundsTheFlagsRequestsOfALookup() throws Exception {
        posthog.faults().add(FaultRule.matching(RouteMatcher.flags()).status(503).always());
        TableEnvironment env = TableTestSupport.streamingTableEnv();
        env.executeSql(
                "CREATE TABLE flags (distinct_id STRING, beta STRING, complete BOOLEAN) WITH"
                        + " ('connector' = 'posthog-flags', 'host' = '"
                        + posthog.baseUrl()
                        + "', 'project-api-key' = '"
                        + posthog.projectApiKey()
                        + "', 'flags.mode' = 'REMOTE', 'lookup.max-retries' = '1')");
        env.executeSql(
                "CREATE TEMPORARY VIEW e AS SELECT id, PROCTIME() AS pt FROM (VALUES ('u1'))"
                        + " AS t(id)");
        List<Row> rows =
                collect(
                        env,
                        "SELECT e.id, f.beta, f.complete FROM e LEFT JOIN flags FOR SYSTEM_TIME AS"
                                + " OF e.pt AS f ON e.id = f.distinct_id");

        assertThat(rows).singleElement().satisfies(r -> assertThat(r.getField(2)).isEqualTo(false));
        assertThat(posthog.requests())
                .filteredOn(r -> r.path().startsWith("/flags") && r.method().equals("POST"))
                .as("the first request and 1 retry")
                .hasSize(2);
    }

    private static String flagsOptions() {
        return "'connector' = 'posthog-flags', 'host' = '"
                + posthog.baseUrl()
                + "', 'project-api-key' = '"
                + posthog.projectApiKey()
                + "', 'personal-api-key' = '"
                + posthog.personalApiKey()
                + "', 'project-id' = '"
                + posthog.projectId()
                + "'";
    }

    private static List<Row> collect(TableEnvironment env, String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql(query).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
