package io.github.posthogflink.client.flags.local;

import io.github.posthogflink.client.flags.local.FilterNode.PropertyCheck;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;

/** posthog-python's {@code match_property}: one property against one operator. */
final class PropertyMatcher {
    private PropertyMatcher() {}

    static boolean matches(PropertyCheck check, PropertyValues values, Clock clock)
            throws InconclusiveMatchException {
        PropertyOperator op = check.operator();
        if (op == PropertyOperator.UNKNOWN) {
            throw Inconclusive.of("Unknown operator " + check.operatorName());
        }
        if (!values.contains(check.key())) {
            throw Inconclusive.of("can't match properties without a given property value");
        }
        if (op == PropertyOperator.IS_NOT_SET) {
            throw Inconclusive.of("can't match properties with operator is_not_set");
        }
        Object actual = values.get(check.key());
        if (actual == null && op != PropertyOperator.IS_NOT) {
            return false;
        }
        switch (op) {
            case EXACT:
                return exactMatch(check, actual);
            case IS_NOT:
                return !exactMatch(check, actual);
            case IS_SET:
                return true;
            case ICONTAINS:
                return fold(actual).contains(check.foldedValue());
            case NOT_ICONTAINS:
                return !fold(actual).contains(check.foldedValue());
            case STARTS_WITH:
                return fold(actual).startsWith(check.foldedValue());
            case NOT_STARTS_WITH:
                return !fold(actual).startsWith(check.foldedValue());
            case ENDS_WITH:
                return fold(actual).endsWith(check.foldedValue());
            case NOT_ENDS_WITH:
                return !fold(actual).endsWith(check.foldedValue());
            case REGEX:
                return check.regex() != null
                        && check.regex().matcher(PythonValues.str(actual)).find();
            case NOT_REGEX:
                return check.regex() != null
                        && !check.regex().matcher(PythonValues.str(actual)).find();
            case GT:
            case GTE:
            case LT:
            case LTE:
                return compareOrdered(check, actual);
            case IS_DATE_BEFORE:
            case IS_DATE_AFTER:
                return compareDates(check, actual, clock);
            default:
                return compareVersions(check, actual);
        }
    }

    private static boolean exactMatch(PropertyCheck check, Object actual) {
        String folded = fold(actual);
        if (check.foldedChoices() != null) {
            return check.foldedChoices().contains(folded);
        }
        return check.foldedValue().equals(folded);
    }

    private static String fold(Object value) {
        return PythonValues.casefold(PythonValues.str(value));
    }

    private static boolean compareOrdered(PropertyCheck check, Object actual)
            throws InconclusiveMatchException {
        int order;
        if (check.number() != null) {
            if (actual instanceof String s) {
                order = PythonValues.compareStrings(s, check.valueString());
            } else {
                Double left = PythonValues.numeric(actual);
                if (left == null) {
                    // Python raises TypeError: not caught per condition, the whole flag goes
                    // remote.
                    throw Inconclusive.requiresServer(
                            "value of a type that can't be compared with a number");
                }
                double right = check.number();
                if (Double.isNaN(left) || Double.isNaN(right)) {
                    return false;
                }
                order = Double.compare(left, right);
                if (left == right) {
                    order = 0;
                }
            }
        } else {
            order = PythonValues.compareStrings(PythonValues.str(actual), check.valueString());
        }
        return switch (check.operator()) {
            case GT -> order > 0;
            case GTE -> order >= 0;
            case LT -> order < 0;
            default -> order <= 0;
        };
    }

    private static boolean compareDates(PropertyCheck check, Object actual, Clock clock)
            throws InconclusiveMatchException {
        OffsetDateTime flagDate = check.date().resolve(clock);
        if (flagDate == null) {
            throw Inconclusive.of("The date set on the flag is not a valid format");
        }
        boolean before = check.operator() == PropertyOperator.IS_DATE_BEFORE;
        Instant moment;
        if (actual instanceof LocalDate date) {
            LocalDate flagDay = flagDate.toLocalDate();
            return before ? date.isBefore(flagDay) : date.isAfter(flagDay);
        } else if (actual instanceof Instant instant) {
            moment = instant;
        } else if (actual instanceof OffsetDateTime odt) {
            moment = odt.toInstant();
        } else if (actual instanceof ZonedDateTime zdt) {
            moment = zdt.toInstant();
        } else if (actual instanceof LocalDateTime ldt) {
            moment = ldt.toInstant(ZoneOffset.UTC);
        } else if (actual instanceof Date date) {
            moment = date.toInstant();
        } else if (actual instanceof String text) {
            OffsetDateTime parsed = FlagDates.parseDateTime(text).resolve(clock);
            if (parsed == null) {
                throw Inconclusive.of("The date provided is not a valid format");
            }
            moment = parsed.toInstant();
        } else {
            throw Inconclusive.of("The date provided must be a string or date object");
        }
        Instant threshold = flagDate.toInstant();
        return before ? moment.isBefore(threshold) : moment.isAfter(threshold);
    }

    private static boolean compareVersions(PropertyCheck check, Object actual)
            throws InconclusiveMatchException {
        Semver version = Semver.parse(PythonValues.str(actual));
        if (version == null) {
            throw Inconclusive.of("Person property value is not a valid semver");
        }
        PropertyOperator op = check.operator();
        if (op.isSemverComparison()) {
            if (check.semver() == null) {
                throw Inconclusive.of("Flag semver value is not a valid semver");
            }
            int order = version.compareTo(check.semver());
            return switch (op) {
                case SEMVER_EQ -> order == 0;
                case SEMVER_NEQ -> order != 0;
                case SEMVER_GT -> order > 0;
                case SEMVER_GTE -> order >= 0;
                case SEMVER_LT -> order < 0;
                default -> order <= 0;
            };
        }
        if (check.semverRange() == null) {
            throw Inconclusive.of("Flag semver value is not valid for " + op.wireName());
        }
        return check.semverRange().contains(version);
    }
}
