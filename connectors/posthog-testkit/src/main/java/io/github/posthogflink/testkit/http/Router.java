package io.github.posthogflink.testkit.http;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Routes requests by method and path regex; first match wins. */
public final class Router {
    /** Accepts both {@code /api/projects/:id/} and {@code /api/environments/:id/}. */
    public static final String PROJECT = "/api/(?:projects|environments)/(?<project>[^/]+)";

    private record Route(Set<String> methods, Pattern pattern, Handler handler) {}

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /**
     * Adds a route. {@code regex} matches the whole path; a trailing slash is optional when the
     * regex ends with {@code /?}.
     */
    public Router add(String methods, String regex, Handler handler) {
        routes.add(new Route(Set.of(methods.split(",")), Pattern.compile(regex), handler));
        return this;
    }

    public Router get(String regex, Handler handler) {
        return add("GET,HEAD", regex, handler);
    }

    public Router post(String regex, Handler handler) {
        return add("POST", regex, handler);
    }

    public Router patch(String regex, Handler handler) {
        return add("PATCH,PUT", regex, handler);
    }

    public Router delete(String regex, Handler handler) {
        return add("DELETE", regex, handler);
    }

    /** Whether some route matches this path, whatever the method. */
    public boolean matchesPath(String path) {
        for (Route route : routes) {
            if (route.pattern.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    public Response dispatch(Request request) throws Exception {
        boolean pathMatched = false;
        for (Route route : routes) {
            Matcher matcher = route.pattern.matcher(request.path());
            if (!matcher.matches()) {
                continue;
            }
            pathMatched = true;
            if (route.methods.contains(request.method())) {
                request.setMatch(matcher);
                return route.handler.handle(request);
            }
        }
        if (pathMatched) {
            throw ApiError.methodNotAllowed(request.method());
        }
        throw ApiError.notFound();
    }
}
