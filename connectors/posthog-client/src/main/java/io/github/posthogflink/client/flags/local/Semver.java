package io.github.posthogflink.client.flags.local;

/**
 * A {@code (major, minor, patch)} version as posthog-python's {@code parse_semver} reads it: {@code
 * v} prefix and whitespace ignored, pre-release and build suffixes dropped, missing parts 0,
 * leading zeros rejected.
 */
record Semver(long major, long minor, long patch) implements Comparable<Semver> {

    /** The half-open range {@code [lower, upper)} of a tilde, caret or wildcard operator. */
    record Range(Semver lower, Semver upper) {
        boolean contains(Semver version) {
            return lower.compareTo(version) <= 0 && version.compareTo(upper) < 0;
        }
    }

    @Override
    public int compareTo(Semver other) {
        int byMajor = Long.compare(major, other.major);
        if (byMajor != 0) {
            return byMajor;
        }
        int byMinor = Long.compare(minor, other.minor);
        return byMinor != 0 ? byMinor : Long.compare(patch, other.patch);
    }

    /** Parses a version, or returns null where Python raises. */
    static Semver parse(String value) {
        String text = stripPrefix(value.strip());
        int dash = text.indexOf('-');
        if (dash >= 0) {
            text = text.substring(0, dash);
        }
        int plus = text.indexOf('+');
        if (plus >= 0) {
            text = text.substring(0, plus);
        }
        String[] parts = text.split("\\.", -1);
        if (parts[0].isEmpty()) {
            return null;
        }
        Long major = identifier(parts[0]);
        Long minor = parts.length > 1 && !parts[1].isEmpty() ? identifier(parts[1]) : (Long) 0L;
        Long patch = parts.length > 2 && !parts[2].isEmpty() ? identifier(parts[2]) : (Long) 0L;
        if (major == null || minor == null || patch == null) {
            return null;
        }
        return new Semver(major, minor, patch);
    }

    /** {@code ~1.2.3}: {@code >=1.2.3 <1.3.0}. */
    static Range tilde(String value) {
        Semver v = parse(value);
        return v == null ? null : new Range(v, new Semver(v.major, v.minor + 1, 0));
    }

    /**
     * {@code ^1.2.3}: {@code >=1.2.3 <2.0.0}; {@code ^0.2.3}: {@code <0.3.0}; {@code ^0.0.3}:
     * {@code <0.0.4}.
     */
    static Range caret(String value) {
        Semver v = parse(value);
        if (v == null) {
            return null;
        }
        Semver upper;
        if (v.major > 0) {
            upper = new Semver(v.major + 1, 0, 0);
        } else if (v.minor > 0) {
            upper = new Semver(0, v.minor + 1, 0);
        } else {
            upper = new Semver(0, 0, v.patch + 1);
        }
        return new Range(v, upper);
    }

    /** {@code 1.*}: {@code >=1.0.0 <2.0.0}; {@code 1.2.*}: {@code >=1.2.0 <1.3.0}. */
    static Range wildcard(String value) {
        String cleaned = stripPrefix(value.strip()).replace("*", "");
        int end = cleaned.length();
        while (end > 0 && cleaned.charAt(end - 1) == '.') {
            end--;
        }
        cleaned = cleaned.substring(0, end);
        if (cleaned.isEmpty()) {
            return null;
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String part : cleaned.split("\\.")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        Long major = identifier(parts.get(0));
        if (major == null) {
            return null;
        }
        if (parts.size() == 1) {
            return new Range(new Semver(major, 0, 0), new Semver(major + 1, 0, 0));
        }
        Long minor = identifier(parts.get(1));
        if (minor == null) {
            return null;
        }
        if (parts.size() == 2) {
            return new Range(new Semver(major, minor, 0), new Semver(major, minor + 1, 0));
        }
        Long patch = identifier(parts.get(2));
        if (patch == null) {
            return null;
        }
        return new Range(new Semver(major, minor, patch), new Semver(major, minor, patch + 1));
    }

    private static String stripPrefix(String text) {
        int start = 0;
        while (start < text.length() && (text.charAt(start) == 'v' || text.charAt(start) == 'V')) {
            start++;
        }
        return text.substring(start);
    }

    /** A numeric identifier without leading zeros, or null (values beyond a long are refused). */
    private static Long identifier(String part) {
        if (part.isEmpty() || part.length() > 18) {
            return null;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        if (part.length() > 1 && part.charAt(0) == '0') {
            return null;
        }
        return Long.parseLong(part);
    }
}
