package io.github.posthogflink.client.flags.local;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Python value semantics that PostHog's reference evaluator (posthog-python) relies on: {@code
 * str()}, {@code str.casefold()}, {@code float()} and the JSON-to-Python value mapping.
 */
final class PythonValues {
    private static final Pattern FLOAT_LITERAL =
            Pattern.compile(
                    "[+-]?(?:(?:\\d(?:_?\\d)*)?\\.\\d(?:_?\\d)*|\\d(?:_?\\d)*\\.?)"
                            + "(?:[eE][+-]?\\d(?:_?\\d)*)?");
    private static final Pattern FLOAT_SPECIAL =
            Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

    private PythonValues() {}

    /** Python's {@code str(value)} for the Java types a caller or a JSON document produces. */
    static String str(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Double d) {
            return floatRepr(d);
        }
        if (value instanceof Float f) {
            return floatRepr(Double.parseDouble(f.toString()));
        }
        if (value instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        if (value instanceof Collection<?> c) {
            StringBuilder out = new StringBuilder("[");
            Iterator<?> it = c.iterator();
            while (it.hasNext()) {
                out.append(repr(it.next()));
                if (it.hasNext()) {
                    out.append(", ");
                }
            }
            return out.append(']').toString();
        }
        if (value instanceof Map<?, ?> m) {
            StringBuilder out = new StringBuilder("{");
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                out.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                if (it.hasNext()) {
                    out.append(", ");
                }
            }
            return out.append('}').toString();
        }
        return value.toString();
    }

    private static String repr(Object value) {
        if (value instanceof String s) {
            return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        return str(value);
    }

    /** Python's {@code repr(float)}: shortest round-trip digits, exponent outside [1e-4, 1e16). */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = decimal.unscaledValue().toString();
        int exponent = digits.length() - 1 - decimal.scale();
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
        if (exponent < -4 || exponent >= 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                out.append('0');
            }
            return out.append(abs).toString();
        }
        if (exponent < 0) {
            out.append("0.");
            out.append("0".repeat(-exponent - 1));
            return out.append(digits).toString();
        }
        if (digits.length() <= exponent + 1) {
            out.append(digits).append("0".repeat(exponent + 1 - digits.length()));
            return out.append(".0").toString();
        }
        return out.append(digits, 0, exponent + 1)
                .append('.')
                .append(digits, exponent + 1, digits.length())
                .toString();
    }

    /**
     * Python's {@code str.casefold()}, approximated by upper- then lower-casing (this folds {@code
     * ß} to {@code ss}); ASCII takes a fast path.
     */
    static String casefold(String s) {
        boolean ascii = true;
        boolean hasUpper = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128) {
                ascii = false;
                break;
            }
            if (c >= 'A' && c <= 'Z') {
                hasUpper = true;
            }
        }
        if (ascii) {
            return hasUpper ? s.toLowerCase(Locale.ROOT) : s;
        }
        return s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** Python's {@code float(value)}, or null where Python raises. */
    static Double toFloat(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            String text = s.strip();
            if (FLOAT_LITERAL.matcher(text).matches()) {
                return Double.parseDouble(text.replace("_", ""));
            }
            if (FLOAT_SPECIAL.matcher(text).matches()) {
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.contains("nan")) {
                    return Double.NaN;
                }
                return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
        }
        return null;
    }

    /** The numeric value of a Python int, float or bool, or null for any other type. */
    static Double numeric(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        return null;
    }

    /** Python string ordering (by code point). */
    static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** The value {@code json.loads} would give: str, int, float, bool, None, list or dict. */
    static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            BigInteger big = node.bigIntegerValue();
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(fromJson(element)));
            return Collections.unmodifiableList(list);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), fromJson(e.getValue())));
        return Collections.unmodifiableMap(map);
    }

    /** Python truthiness of a JSON value. */
    static boolean truthy(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.doubleValue() != 0;
        }
        if (node.isTextual()) {
            return !node.textValue().isEmpty();
        }
        return node.size() > 0;
    }
}
