package io.github.posthogflink.testkit.capture;

import io.github.posthogflink.testkit.http.Request;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The request headers capture v1 requires and checks, in {@code rust/capture}'s order ({@code
 * v1/context.rs}): {@code Authorization} first (401 when absent), then every required header at
 * once (400 naming the missing ones), the Bearer scheme, the token, {@code Content-Type}, {@code
 * Content-Encoding}, {@code PostHog-Request-Id}, {@code PostHog-Attempt} and {@code
 * PostHog-Request-Timestamp}.
 *
 * @param token the project API key sent as Bearer
 * @param encoding the lower-case {@code Content-Encoding}, or null
 * @param clientTimestamp when the SDK sent the request, for clock-skew correction
 * @param sdkInfo {@code PostHog-Sdk-Info}: {@code <$lib>/<$lib_version>}
 */
record V1Headers(String token, String encoding, Instant clientTimestamp, String sdkInfo) {
    /** The headers every v1 request must carry, besides {@code Authorization}. */
    static final List<String> REQUIRED =
            List.of(
                    "PostHog-Sdk-Info",
                    "PostHog-Attempt",
                    "PostHog-Request-Id",
                    "PostHog-Request-Timestamp",
                    "content-type",
                    "user-agent");

    /** The encodings capture v1 takes; the testkit decodes gzip and deflate (zlib). */
    static final List<String> SUPPORTED_ENCODINGS = List.of("gzip", "deflate", "br", "zstd");

    /** A longer {@code PostHog-Sdk-Info} is not turned into {@code $lib}. */
    private static final int MAX_SDK_INFO_LENGTH = 200;

    static V1Headers read(Request request, String projectApiKey) throws V1Error {
        String authorization = request.header("authorization");
        if (authorization == null) {
            throw V1Error.missingAuthorization();
        }
        List<String> missing = new ArrayList<>();
        for (String name : REQUIRED) {
            if (request.header(name) == null) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw V1Error.missingHeaders(missing);
        }
        if (authorization.length() <= 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw V1Error.invalidHeader("Authorization must use Bearer scheme");
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty() || token.startsWith("phx_") || !token.equals(projectApiKey)) {
            // Empty and personal keys fail rust/capture's token check; the testkit also refuses
            // a token other than its project key, as on its v0 routes.
            throw V1Error.invalidToken();
        }
        String contentType = request.header("content-type");
        String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json")) {
            throw V1Error.unsupportedContentType(contentType);
        }
        String encoding = request.header("content-encoding");
        if (encoding != null) {
            encoding = encoding.toLowerCase(Locale.ROOT);
            if (!SUPPORTED_ENCODINGS.contains(encoding)) {
                throw V1Error.unsupportedEncoding(request.header("content-encoding"));
            }
        }
        String requestId = request.header("PostHog-Request-Id");
        try {
            UUID.fromString(requestId);
        } catch (IllegalArgumentException e) {
            throw V1Error.invalidHeader("PostHog-Request-Id is not a valid UUID: " + requestId);
        }
        String attempt = request.header("PostHog-Attempt");
        if (!attempt.matches("[0-9]{1,9}") || Integer.parseInt(attempt) < 1) {
            throw V1Error.invalidHeader("PostHog-Attempt must be a positive integer: " + attempt);
        }
        String timestamp = request.header("PostHog-Request-Timestamp");
        Instant clientTimestamp = parseRfc3339(timestamp);
        if (clientTimestamp == null) {
            throw V1Error.invalidHeader(
                    "PostHog-Request-Timestamp is not valid RFC 3339: " + timestamp);
        }
        return new V1Headers(token, encoding, clientTimestamp, request.header("PostHog-Sdk-Info"));
    }

    /** An RFC 3339 date-time with its offset, or null. */
    static Instant parseRfc3339(String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            return null;
        }
    }

    /**
     * {@code $lib} and {@code $lib_version} from {@code PostHog-Sdk-Info}, split at the last {@code
     * /}; null when the header is too long or either part is empty.
     */
    String[] libAndVersion() {
        if (sdkInfo.length() > MAX_SDK_INFO_LENGTH) {
            return null;
        }
        int slash = sdkInfo.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        String lib = sdkInfo.substring(0, slash).trim();
        String version = sdkInfo.substring(slash + 1).trim();
        return lib.isEmpty() || version.isEmpty() ? null : new String[] {lib, version};
    }
}
