package io.github.posthogflink.testkit;

import io.github.posthogflink.testkit.api.ApiAuth;
import io.github.posthogflink.testkit.api.CohortRegistry;
import io.github.posthogflink.testkit.api.CohortsApi;
import io.github.posthogflink.testkit.api.CrudApi;
import io.github.posthogflink.testkit.api.DefinitionsApi;
import io.github.posthogflink.testkit.api.DeletePolicy;
import io.github.posthogflink.testkit.api.PersonalApiKeysApi;
import io.github.posthogflink.testkit.api.PersonsApi;
import io.github.posthogflink.testkit.api.ProjectOnlyResources;
import io.github.posthogflink.testkit.api.ProjectsApi;
import io.github.posthogflink.testkit.api.ResourceStore;
import io.github.posthogflink.testkit.api.SessionRecordingsApi;
import io.github.posthogflink.testkit.api.UsersApi;
import io.github.posthogflink.testkit.capture.CaptureEndpoint;
import io.github.posthogflink.testkit.capture.CaptureStorage;
import io.github.posthogflink.testkit.capture.CaptureV1Endpoint;
import io.github.posthogflink.testkit.capture.EventStore;
import io.github.posthogflink.testkit.capture.TimestampResolver;
import io.github.posthogflink.testkit.faults.FaultInjector;
import io.github.posthogflink.testkit.faults.FaultsApi;
import io.github.posthogflink.testkit.flags.DefinitionsPayload;
import io.github.posthogflink.testkit.flags.FeatureFlagsApi;
import io.github.posthogflink.testkit.flags.FlagStore;
import io.github.posthogflink.testkit.flags.LocalEvaluationEndpoint;
import io.github.posthogflink.testkit.flags.RemoteEvaluator;
import io.github.posthogflink.testkit.flags.RemoteFlagsEndpoint;
import io.github.posthogflink.testkit.http.Router;
import io.github.posthogflink.testkit.inspect.InspectionApi;
import io.github.posthogflink.testkit.inspect.Redaction;
import io.github.posthogflink.testkit.inspect.RequestJournal;
import io.github.posthogflink.testkit.persons.GroupStore;
import io.github.posthogflink.testkit.persons.PersonProcessor;
import io.github.posthogflink.testkit.persons.PersonStore;
import io.github.posthogflink.testkit.query.QueryApi;
import io.github.posthogflink.testkit.query.QueryBackend;
import io.github.posthogflink.testkit.query.QueryService;
import io.github.posthogflink.testkit.quota.QuotaApi;
import io.github.posthogflink.testkit.quota.QuotaLimits;
import io.github.posthogflink.testkit.ratelimit.RateLimiter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Every store and endpoint of one server, wired together. */
final class TestkitComponents {
    /** Project resources served by the generic CRUD. */
    static final List<String> GENERIC_RESOURCES =
            List.of("insights", "dashboards", "annotations", "experiments", "surveys", "actions");

    /** PostHog's page size of annotations without {@code limit}. */
    static final int ANNOTATIONS_PAGE_SIZE = 1000;

    final TestkitConfig config;
    final RequestJournal journal;
    final EventStore events = new EventStore();
    final PersonStore persons;
    final GroupStore groups = new GroupStore();
    final CohortRegistry cohorts = new CohortRegistry();
    final FlagStore flags;
    final FaultInjector faults;
    final RateLimiter rateLimiter;
    final ApiAuth auth;
    final QueryBackend queryBackend;
    final QueryService queries;
    final CohortsApi cohortsApi;
    final SessionRecordingsApi recordings;
    final Map<String, CrudApi> resources = new LinkedHashMap<>();
    final InspectionApi inspection;
    final Router router = new Router();
    final QuotaLimits quota = new QuotaLimits();

    TestkitComponents(TestkitConfig config) {
        this.config = config;
        this.journal = new RequestJournal(config.journalCapacity(), config.journalMaxBytes());
        this.persons = new PersonStore(config.projectId());
        this.faults = new FaultInjector(config.clock());
        groups.setTypeMapping(config.groupTypeMapping());
        ObjectNode user =
                UsersApi.basicUser(
                        UUID.nameUUIDFromBytes(
                                ("testkit-user:" + config.projectId())
                                        .getBytes(StandardCharsets.UTF_8)));
        this.auth =
                new ApiAuth(
                        config.personalApiKey(), config.personalApiKeyScopes(), config.projectId());
        this.rateLimiter =
                new RateLimiter(config.clock(), config.rateLimits(), auth::isPersonalKey);
        this.flags = new FlagStore(config.clock(), config.projectId(), user);
        this.queryBackend =
                new QueryBackend(
                        events::raw, persons::all, persons::byUuid, groups, config.clock());
        persons.setListener(queryBackend);
        this.queries =
                new QueryService(
                        queryBackend,
                        new QueryService.Persons(persons::byDistinctId, persons::byUuid),
                        config.clock(),
                        config.queryExecutor(),
                        config.projectId(),
                        config.personalApiKey());
        this.cohortsApi = new CohortsApi(cohorts, persons, auth, config.clock(), user);
        this.recordings = new SessionRecordingsApi(auth);
        this.inspection =
                new InspectionApi(
                        journal,
                        events,
                        persons,
                        groups,
                        rateLimiter,
                        this::reset,
                        new Redaction(
                                List.of(
                                        config.projectApiKey(),
                                        config.personalApiKey(),
                                        config.secureFlagsKey())));

        inspection.register(router);
        ProjectOnlyResources.register(router);
        new FaultsApi(faults).register(router);
        new QuotaApi(quota).register(router);
        TimestampResolver timestamps = new TimestampResolver(config.clock());
        CaptureStorage captured =
                new CaptureStorage(
                        events,
                        new PersonProcessor(persons, groups),
                        queryBackend::storeAndMirror,
                        quota);
        new CaptureEndpoint(config.projectApiKey(), timestamps, captured).register(router);
        new CaptureV1Endpoint(config.projectApiKey(), timestamps, captured).register(router);
        DefinitionsPayload definitions =
                new DefinitionsPayload(flags, groups, cohorts, this::hasExperiment);
        new LocalEvaluationEndpoint(
                        definitions, auth, config.secureFlagsKey(), config.projectApiKey())
                .register(router);
        new RemoteFlagsEndpoint(
                        new RemoteEvaluator(definitions, persons, groups, cohorts, config.clock()),
                        config.projectApiKey(),
                        config.clock(),
                        quota)
                .register(router);
        new FeatureFlagsApi(flags, auth, definitions, config.secureFlagsKey()).register(router);
        new PersonsApi(persons, cohorts, auth, config.clock()).register(router);
        cohortsApi.register(router);
        recordings.register(router);
        new DefinitionsApi(auth, events::deduped, persons::all).register(router);
        new UsersApi(auth, user).register(router);
        new ProjectsApi(auth, config.projectApiKey()).register(router);
        new QueryApi(queries, auth).register(router);
        new PersonalApiKeysApi(auth, "2024-01-01T00:00:00.000000Z").register(router);
        for (String kind : GENERIC_RESOURCES) {
            CrudApi crud =
                    new CrudApi(
                            new ResourceStore(kind, "surveys".equals(kind)),
                            auth,
                            config.clock(),
                            user,
                            deletePolicy(kind),
                            (request, item) -> true);
            if ("actions".equals(kind)) {
                crud.unpaginated();
            }
            if ("annotations".equals(kind)) {
                // AnnotationsLimitOffsetPagination (posthog/api/annotation.py).
                crud.defaultPageSize(ANNOTATIONS_PAGE_SIZE);
            }
            crud.register(router);
            resources.put(kind, crud);
        }
    }

    /**
     * Whether a live experiment uses the flag, by {@code feature_flag_key} or the flag's id in
     * {@code feature_flag} / {@code feature_flag_id} (PostHog's {@code has_experiment}).
     */
    private boolean hasExperiment(JsonNode flag) {
        CrudApi experiments = resources.get("experiments");
        if (experiments == null) {
            return false;
        }
        String key = flag.path("key").asText();
        long id = flag.path("id").asLong();
        for (ObjectNode experiment : experiments.store().all()) {
            if (experiment.path("deleted").asBoolean(false)) {
                continue;
            }
            JsonNode linked = experiment.path("feature_flag");
            if (key.equals(experiment.path("feature_flag_key").asText(null))
                    || experiment.path("feature_flag_id").asLong(-1) == id
                    || (linked.isNumber() && linked.asLong() == id)
                    || (linked.isObject() && linked.path("id").asLong(-1) == id)) {
                return true;
            }
        }
        return false;
    }

    /** As PostHog's viewsets: see {@link DeletePolicy}. */
    static DeletePolicy deletePolicy(String kind) {
        return switch (kind) {
            case "surveys" -> DeletePolicy.HARD;
            case "annotations" -> DeletePolicy.SOFT_HIDDEN_PATCHABLE;
            case "insights", "dashboards" -> DeletePolicy.SOFT_HIDDEN;
            default -> DeletePolicy.SOFT_RETRIEVABLE;
        };
    }

    /** Forgets all data, requests, faults and throttle history; keeps the configuration. */
    void reset() {
        events.clear();
        persons.clear();
        groups.clear();
        groups.setTypeMapping(config.groupTypeMapping());
        cohorts.clear();
        flags.clear();
        recordings.clear();
        resources.values().forEach(r -> r.store().clear());
        journal.clear();
        faults.clear();
        rateLimiter.reset();
        queries.clear();
        queryBackend.clear();
        quota.clear();
    }
}
