package io.github.posthogflink.testkit.http;

/** What the server does with a request: answer it, or drop the connection without an answer. */
public record Outcome(Response response, boolean dropConnection) {

    public static Outcome respond(Response response) {
        return new Outcome(response, false);
    }

    public static Outcome drop() {
        return new Outcome(null, true);
    }
}
