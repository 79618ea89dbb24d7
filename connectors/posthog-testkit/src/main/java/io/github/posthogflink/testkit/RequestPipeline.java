package io.github.posthogflink.testkit;

import io.github.posthogflink.testkit.faults.Fault;
import io.github.posthogflink.testkit.faults.FaultInjector;
import io.github.posthogflink.testkit.http.ApiError;
import io.github.posthogflink.testkit.http.Json;
import io.github.posthogflink.testkit.http.Outcome;
import io.github.posthogflink.testkit.http.Request;
import io.github.posthogflink.testkit.http.Response;
import io.github.posthogflink.testkit.http.Router;
import io.github.posthogflink.testkit.http.Secrets;
import io.github.posthogflink.testkit.inspect.RecordedRequest;
import io.github.posthogflink.testkit.inspect.RequestJournal;
import io.github.posthogflink.testkit.ratelimit.RateLimiter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/** Journal, faults, throttles, then the router; {@code /_testkit/} skips all but the router. */
final class RequestPipeline implements Function<Request, Outcome> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestPipeline.class);

    private final Router router;
    private final FaultInjector faults;
    private final RateLimiter rateLimiter;
    private final RequestJournal journal;
    private final Clock clock;

    RequestPipeline(
            Router router,
            FaultInjector faults,
            RateLimiter rateLimiter,
            RequestJournal journal,
            Clock clock) {
        this.router = router;
        this.faults = faults;
        this.rateLimiter = rateLimiter;
        this.journal = journal;
        this.clock = clock;
    }

    @Override
    public Outcome apply(Request request) {
        if (request.path().startsWith("/_testkit/")) {
            return Outcome.respond(route(request));
        }
        long sequence = journal.nextSequence();
        Optional<Fault> fault = faults.faultFor(request.method(), request.path());
        if (fault.isPresent() && fault.get() instanceof Fault.ResetConnection) {
            record(request, sequence, 0);
            journal.increment("faults.reset");
            return Outcome.drop();
        }
        if (fault.isPresent() && fault.get() instanceof Fault.Status status) {
            journal.increment("faults.status");
            return finish(request, sequence, statusResponse(status));
        }
        if (fault.isPresent() && fault.get() instanceof Fault.Delay delay) {
            journal.increment("faults.delay");
            // The transport waits on a timer, holding no worker thread.
            return Outcome.after(delay.delay(), () -> finish(request, sequence, handle(request)));
        }
        if (fault.isPresent() && fault.get() instanceof Fault.DropResponse) {
            handle(request);
            record(request, sequence, 0);
            journal.increment("faults.drop_response");
            return Outcome.drop();
        }
        return finish(request, sequence, handle(request));
    }

    /** Throttles, then the router. */
    private Response handle(Request request) {
        OptionalLong wait = rateLimiter.acquire(request);
        if (wait.isPresent()) {
            journal.increment("throttled");
            return ApiError.throttled(wait.getAsLong()).toResponse();
        }
        return route(request);
    }

    private Outcome finish(Request request, long sequence, Response response) {
        record(request, sequence, response.status());
        return Outcome.respond(response);
    }

    private Response route(Request request) {
        try {
            return router.dispatch(request);
        } catch (ApiError e) {
            return e.toResponse();
        } catch (Exception e) {
            LOG.warn(
                    "Request {} {} failed: {}",
                    request.method(),
                    Secrets.redact(request.path()),
                    Secrets.redact(e.toString()));
            return new ApiError(500, "server_error", "error", "A server error occurred.", null)
                    .toResponse();
        }
    }

    private void record(Request request, long sequence, int status) {
        journal.record(
                new RecordedRequest(
                        sequence,
                        request.method(),
                        request.path(),
                        request.rawQuery(),
                        request.headers(),
                        request.body(),
                        clock.instant(),
                        status),
                request.method() + " " + counterPath(request.path()));
    }

    /**
     * The path with a trailing slash, so that {@code /batch} and {@code /batch/} count together.
     */
    static String counterPath(String path) {
        return path.endsWith("/") ? path : path + "/";
    }

    private static Response statusResponse(Fault.Status status) {
        Response response;
        if (status.body() != null) {
            response = Response.text(status.status(), status.body());
        } else if (status.status() == 429) {
            int seconds = status.retryAfterSeconds() == null ? 1 : status.retryAfterSeconds();
            response = ApiError.throttled(seconds).toResponse();
        } else {
            response =
                    Response.json(
                            status.status(),
                            Json.object()
                                    .put("type", "server_error")
                                    .put("code", "error")
                                    .put("detail", "Injected fault.")
                                    .putNull("attr"));
        }
        if (status.retryAfterSeconds() != null) {
            response =
                    response.withHeader("Retry-After", String.valueOf(status.retryAfterSeconds()));
        }
        return response;
    }
}
