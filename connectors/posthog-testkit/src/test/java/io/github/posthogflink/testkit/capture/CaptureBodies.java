package io.github.posthogflink.testkit.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random capture bodies with the odd JSON SDKs and users send: escapes, raw and escaped unicode,
 * numbers and arrays as distinct ids, nested {@code $set}, repeated keys, odd whitespace, wrong
 * types; and random byte changes of them.
 */
final class CaptureBodies {
    private static final String[] NAMES = {
        "\"order placed\"",
        "\"$pageview\"",
        "\"$identify\"",
        "\"caf\\u00e9\"",
        "\"café\"",
        "\"q\\\"uote\"",
        "\"tab\\tline\\n\"",
        "\"😀 smile\"",
        "\"\\ud83d\\ude00\""
    };

    private static final String[] BAD_NAMES = {"\"\"", "5", "null", "{}"};

    private static final String[] IDS = {
        "\"user-1\"",
        "\"user-2\"",
        "\"ünïcödé\"",
        "\"\\u00fcser\"",
        "\"a\\\\b\"",
        "\"nul\\u0000l\"",
        "\"\"",
        "12345",
        "-0",
        "1.5e3",
        "12345678901234567890",
        "true",
        "[1,\"x\"]",
        "{\"a\":1}",
        "\"" + "x".repeat(250) + "\""
    };

    private static final String[] BAD_IDS = {"\"\"", "null"};

    private static final String[] UUIDS = {
        "\"01890a5d-ac96-774b-bcce-5f0b4f1e1a2b\"",
        "\"FFFFFFFF-FFFF-4FFF-8FFF-FFFFFFFFFFFF\"",
        "\"01890a5dac96774bbcce5f0b4f1e1a2b\"",
        "\"\"",
        "null",
        "\"01890a5d-ac96-774b-bcce-5f0b4f1e1a2\\u0062\""
    };

    private static final String[] BAD_UUIDS = {"\"not-a-uuid\"", "42"};

    private static final String[] TIMES = {
        "\"2026-02-28T10:00:00.123Z\"",
        "\"2026-02-28T10:00:00+02:00\"",
        "\"2026-02-28T10:00:00\"",
        "\" 2026-02-28T10:00:00Z \"",
        "\"2026-02-30T10:00:00Z\"",
        "\"yesterday\"",
        "\"2027-03-01T10:00:00Z\"",
        "1700000000",
        "null"
    };

    private static final String[] VALUES = {
        "1",
        "-2.5",
        "1E+2",
        "0.000001",
        "true",
        "false",
        "null",
        "\"text\"",
        "\"escapes \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\"",
        "\"日本語\"",
        "[]",
        "{}",
        "[1,[2,[3,{\"deep\":[4]}]]]",
        "{\"nested\":{\"$set\":{\"x\":1}}}"
    };

    private final Random random;

    CaptureBodies(Random random) {
        this.random = random;
    }

    String body() {
        int events = 1 + random.nextInt(4);
        List<String> list = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            list.add(event());
        }
        String batch = "[" + String.join("," + space(), list) + "]";
        return switch (random.nextInt(6)) {
            case 0 -> batch;
            case 1 -> list.get(0);
            case 2 -> "{\"batch\":" + batch + ",\"api_key\":\"" + key() + "\"}";
            default -> {
                StringBuilder envelope = new StringBuilder("{\"api_key\":\"" + key() + "\"");
                if (random.nextInt(4) == 0) {
                    envelope.append(",\"historical_migration\":")
                            .append(pick("true", "\"true\"", "1", "false", "null"));
                }
                if (random.nextInt(4) == 0) {
                    envelope.append(",\"sent_at\":").append(pick(TIMES));
                }
                if (random.nextInt(10) == 0) {
                    envelope.append(",\"batch\":5");
                }
                envelope.append(",").append(space()).append("\"batch\":").append(batch);
                yield envelope.append(space()).append("}").toString();
            }
        };
    }

    private String key() {
        return random.nextInt(20) == 0 ? "phc_other" : "phc_key";
    }

    private String event() {
        List<String> fields = new ArrayList<>();
        if (random.nextInt(30) != 0) {
            fields.add(field("event", pick(NAMES, BAD_NAMES)));
        }
        if (random.nextInt(20) != 0) {
            fields.add(field("distinct_id", pick(IDS, BAD_IDS)));
        }
        if (random.nextInt(8) == 0) {
            fields.add(field("$distinct_id", pick(IDS, BAD_IDS)));
        }
        if (random.nextInt(6) != 0) {
            fields.add(field("uuid", pick(UUIDS, BAD_UUIDS)));
        }
        if (random.nextInt(3) != 0) {
            fields.add(field("timestamp", pick(TIMES)));
        }
        if (random.nextInt(6) == 0) {
            fields.add(field("sent_at", pick(TIMES)));
        }
        if (random.nextInt(6) == 0) {
            fields.add(field("offset", pick("1000", "2.5", "\"10\"", "-5", "null")));
        }
        if (random.nextInt(8) == 0) {
            fields.add(field(pick("token", "$token", "api_key"), pick("\"phc_key\"", "\"\"", "7")));
        }
        if (random.nextInt(6) == 0) {
            fields.add(field(pick("$set", "$set_once"), pick("{\"plan\":\"pro\"}", "{}", "3")));
        }
        if (random.nextInt(6) != 0) {
            fields.add(field("properties", random.nextInt(10) == 0 ? pick(VALUES) : properties()));
        }
        if (random.nextInt(5) == 0) {
            fields.add(field("extra", pick(VALUES)));
        }
        if (random.nextInt(7) == 0 && !fields.isEmpty()) {
            // A repeated key: the last one counts.
            fields.add(fields.get(random.nextInt(fields.size())));
        }
        java.util.Collections.shuffle(fields, random);
        return "{" + space() + String.join("," + space(), fields) + space() + "}";
    }

    private String properties() {
        List<String> fields = new ArrayList<>();
        int plain = random.nextInt(6);
        for (int i = 0; i < plain; i++) {
            fields.add(field("p" + i, pick(VALUES)));
        }
        String[][] special = {
            {"$set", "{\"plan\":\"free\",\"n\":{\"deep\":[1,2]}}"},
            {"$set", "\"not an object\""},
            {"$set_once", "{\"first\":\"monday\"}"},
            {"$unset", "[\"plan\"]"},
            {"$groups", "{\"company\":\"acme\"}"},
            {"$process_person_profile", pick("false", "true", "\"false\"", "0", "null")},
            {"$ignore_sent_at", pick("true", "false", "\"true\"", "1", "null")},
            {"distinct_id", pick(IDS)},
            {"token", "\"phc_key\""},
            {"$lib", "\"posthog-flink\""}
        };
        for (String[] entry : special) {
            if (random.nextInt(5) == 0) {
                fields.add(field(entry[0], entry[1]));
            }
        }
        java.util.Collections.shuffle(fields, random);
        return "{" + String.join("," + space(), fields) + "}";
    }

    private String field(String key, String value) {
        return "\"" + key + "\"" + space() + ":" + space() + value;
    }

    private String space() {
        return switch (random.nextInt(10)) {
            case 0 -> " ";
            case 1 -> "\n\t";
            case 2 -> "\r\n  ";
            default -> "";
        };
    }

    private String pick(String... values) {
        return values[random.nextInt(values.length)];
    }

    /** Mostly one of {@code valid}, one time in 20 one of {@code invalid}. */
    private String pick(String[] valid, String[] invalid) {
        return random.nextInt(20) == 0 ? pick(invalid) : pick(valid);
    }

    /** One to three random byte changes: removed, inserted or replaced. */
    static byte[] mutate(Random random, byte[] bytes) {
        byte[] interesting = "{}[]\",:\\ 0123456789-+.eEtfnu\u0001".getBytes();
        List<Byte> out = new ArrayList<>();
        for (byte b : bytes) {
            out.add(b);
        }
        int changes = 1 + random.nextInt(3);
        for (int c = 0; c < changes && !out.isEmpty(); c++) {
            int at = random.nextInt(out.size());
            byte with =
                    random.nextInt(5) == 0
                            ? (byte) (0x80 + random.nextInt(0x80))
                            : interesting[random.nextInt(interesting.length)];
            switch (random.nextInt(3)) {
                case 0 -> out.remove(at);
                case 1 -> out.add(at, with);
                default -> out.set(at, with);
            }
        }
        byte[] mutated = new byte[out.size()];
        for (int i = 0; i < mutated.length; i++) {
            mutated[i] = out.get(i);
        }
        return mutated;
    }
}
