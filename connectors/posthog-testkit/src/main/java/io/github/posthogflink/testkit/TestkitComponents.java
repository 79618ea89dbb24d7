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
import io.github.posthogflink.testkit.api.ResourceStore;
import io.github.posthogflink.testkit.api.SessionRecordingsApi;
import io.github.posthogflink.testkit.api.UsersApi;
import io.github.posthogflink.testkit.capture.CaptureEndpoint;
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
import io.github.posthogflink.testkit.inspect.RequestJournal;
import io.github.posthogflink.testkit.persons.GroupStore;
import io.github.posthogflink.testkit.persons.PersonProcessor;
import io.github.posthogflink.testkit.persons.PersonStore;
import io.github.posthogflink.testkit.query.QueryApi;
import io.github.posthogflink.testkit.query.QueryBackend;
import io.github.posthogflink.testkit.ratelimit.RateLimiter;

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
    final QueryApi queryApi;
    final CohortsApi cohortsApi;
    final SessionRecordingsApi recordings;
    final Map<String, CrudApi> resources = new LinkedHashMap<>();
    final InspectionApi inspection;
    final Router router = new Router();

    TestkitComponents(TestkitConfig config) {
        this.config = config;
        this.journal = new RequestJournal(config.journalCapacity());
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
                new QueryBackend(events::raw, persons::all, persons::byUuid, config.clock());
        persons.setListener(queryBackend);
        this.queryApi =
                new QueryApi(
                        queryBackend,
                        auth,
                        config.clock(),
                        config.queryExecutor(),
                        config.projectId());
        this.cohortsApi = new CohortsApi(cohorts, persons, auth, config.clock(), user);
        this.recordings = new SessionRecordingsApi(auth);
        this.inspection =
                new InspectionApi(journal, events, persons, groups, rateLimiter, this::reset);

        inspection.register(router);
        ProjectOnlyResources.register(router);
        new FaultsApi(faults).register(router);
        new CaptureEndpoint(
                        config.projectApiKey(),
                        new TimestampResolver(config.clock()),
                        events,
                        new PersonProcessor(persons, groups),
                        queryBackend::storeAndMirror)
                .register(router);
        DefinitionsPayload definitions = new DefinitionsPayload(flags, groups, cohorts);
        new LocalEvaluationEndpoint(
                        definitions, auth, config.secureFlagsKey(), config.projectApiKey())
                .register(router);
        new RemoteFlagsEndpoint(
                        new RemoteEvaluator(definitions, persons, groups, cohorts, config.clock()),
                        config.projectApiKey(),
                        config.clock())
                .register(router);
        new FeatureFlagsApi(flags, auth, definitions).register(router);
        new PersonsApi(persons, cohorts, auth, config.clock()).register(router);
        cohortsApi.register(router);
        recordings.register(router);
        new DefinitionsApi(auth, events::deduped, persons::all).register(router);
        new UsersApi(auth, user).register(router);
        new PersonalApiKeysApi(auth, "2024-01-01T00:00:00.000000Z").register(router);
        queryApi.register(router);
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
        queryApi.clear();
        queryBackend.clear();
    }
}
