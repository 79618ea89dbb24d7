package io.github.posthogflink.testkit.hogql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@code values} entry into a typed HogQL constant (Long, Double, String, Boolean, null).
 */
final class PlaceholderValues {
    private PlaceholderValues() {}

    static Object scalar(String name, Object value) throws HogQLException {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() < 64) {
                return big.longValue();
            }
            throw new HogQLException("Placeholder {" + name + "}: integer out of range: " + big);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.doubleValue();
        }
        if (value instanceof Double || value instanceof Float) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof List<?>) {
            throw new HogQLException(
                    "Placeholder {" + name + "}: a list value is only supported after IN");
        }
        if (value instanceof Map<?, ?>) {
            throw new HogQLException(
                    "Placeholder {" + name + "}: objects are not supported as values");
        }
        // UUIDs, instants and other simple values travel as their string form, as JSON would.
        return value.toString();
    }
}
