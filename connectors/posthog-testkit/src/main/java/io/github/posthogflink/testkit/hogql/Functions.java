package io.github.posthogflink.testkit.hogql;

import io.github.posthogflink.testkit.hogql.HType.Kind;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The supported HogQL functions (names as in PostHog's {@code functions/mapping.py}). */
final class Functions {
    /** Aggregations and SQL-standard names that HogQL matches case-insensitively. */
    private static final Set<String> CASE_INSENSITIVE =
            Set.of(
                    "count",
                    "sum",
                    "avg",
                    "min",
                    "max",
                    "coalesce",
                    "if",
                    "lower",
                    "upper",
                    "length",
                    "abs",
                    "round");

    private final Instant now;

    Functions(Instant now) {
        this.now = now;
    }

    static boolean isAggregate(String name) {
        return Set.of("count", "countIf", "sum", "avg", "min", "max", "uniq", "uniqExact")
                .contains(normalise(name));
    }

    static String normalise(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return CASE_INSENSITIVE.contains(lower) ? lower : name;
    }

    Sql call(String rawName, List<Sql> args, boolean distinct) throws HogQLException {
        String name = normalise(rawName);
        String hogql = name + "(" + (distinct ? "DISTINCT " : "") + joinHogql(args) + ")";
        if (distinct && !name.equals("count")) {
            throw new HogQLException("Unsupported: DISTINCT inside " + name + "(...)");
        }
        switch (name) {
            case "count":
                if (args.isEmpty()) {
                    return Sql.expr("count(*)", HType.UINT64, hogql);
                }
                arity(name, args, 1);
                return Sql.expr(
                        "count(" + (distinct ? "DISTINCT " : "") + args.get(0).sql() + ")",
                        HType.UINT64,
                        hogql);
            case "countIf":
                arity(name, args, 1);
                return Sql.expr(
                        "count(*) FILTER (WHERE " + bool(args.get(0)) + ")", HType.UINT64, hogql);
            case "uniq":
            case "uniqExact":
                arity(name, args, 1);
                return Sql.expr("count(DISTINCT " + args.get(0).sql() + ")", HType.UINT64, hogql);
            case "sum":
                arity(name, args, 1);
                return sum(numeric(name, args.get(0)), hogql);
            case "avg":
                arity(name, args, 1);
                return Sql.expr(
                        "avg(" + numeric(name, args.get(0)).sql() + ")",
                        HType.FLOAT64.withNullable(true),
                        hogql);
            case "min":
            case "max":
                arity(name, args, 1);
                return Sql.expr(name + "(" + args.get(0).sql() + ")", args.get(0).type(), hogql);
            case "now":
                arity(name, args, 0);
                return Sql.expr(SqlLiterals.timestamp(now), HType.DATETIME, hogql);
            case "today":
            case "yesterday":
                arity(name, args, 0);
                LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
                return Sql.expr(
                        SqlLiterals.date(name.equals("today") ? today : today.minusDays(1)),
                        HType.DATE,
                        hogql);
            case "toDate":
                arity(name, args, 1);
                return toDate(args.get(0), hogql);
            case "toDateTime":
                arity(name, args, 1);
                return toDateTime(args.get(0), hogql);
            case "toStartOfDay":
            case "toStartOfHour":
            case "toStartOfMinute":
                arity(name, args, 1);
                String unit = name.substring("toStartOf".length()).toLowerCase(Locale.ROOT);
                Sql value = toDateTime(args.get(0), hogql);
                return Sql.expr(
                        "date_trunc('" + unit + "', " + value.sql() + ")", value.type(), hogql);
            case "toStartOfMonth":
            case "toStartOfYear":
                arity(name, args, 1);
                String period = name.substring("toStartOf".length()).toLowerCase(Locale.ROOT);
                Sql date = toDate(args.get(0), hogql);
                return Sql.expr(
                        "CAST(date_trunc('" + period + "', " + date.sql() + ") AS DATE)",
                        date.type(),
                        hogql);
            case "toString":
                arity(name, args, 1);
                return Sql.expr(
                        toStringSql(args.get(0)),
                        HType.STRING.withNullable(args.get(0).type().nullable()),
                        hogql);
            case "toInt":
                arity(name, args, 1);
                Sql source = args.get(0);
                String inner =
                        source.type().kind() == Kind.FLOAT
                                ? "trunc(" + source.sql() + ")"
                                : source.sql();
                return Sql.expr(
                        "TRY_CAST(" + inner + " AS BIGINT)", HType.INT64.withNullable(true), hogql);
            case "toFloat":
                arity(name, args, 1);
                return Sql.expr(
                        "TRY_CAST(" + args.get(0).sql() + " AS DOUBLE)",
                        HType.FLOAT64.withNullable(true),
                        hogql);
            case "lower":
            case "upper":
                arity(name, args, 1);
                return Sql.expr(
                        name + "(" + Comparisons.asString(args.get(0)).sql() + ")",
                        HType.STRING.withNullable(args.get(0).type().nullable()),
                        hogql);
            case "length":
                arity(name, args, 1);
                return Sql.expr(
                        "CAST(length(" + Comparisons.asString(args.get(0)).sql() + ") AS BIGINT)",
                        HType.UINT64.withNullable(args.get(0).type().nullable()),
                        hogql);
            case "concat":
                List<String> parts = new ArrayList<>();
                for (Sql arg : args) {
                    parts.add("COALESCE(" + toStringSql(arg) + ", '')");
                }
                return Sql.expr("(" + String.join(" || ", parts) + ")", HType.STRING, hogql);
            case "coalesce":
            case "ifNull":
                if (args.size() < 2) {
                    throw new HogQLException(
                            "Function '" + name + "' expects at least 2 arguments");
                }
                return coalesce(args, hogql);
            case "if":
                arity(name, args, 3);
                Sql[] branches = Comparisons.unify(args.get(1), args.get(2));
                HType type =
                        branches[0].type().kind() == Kind.NOTHING
                                ? branches[1].type()
                                : branches[0].type();
                return Sql.expr(
                        "(CASE WHEN "
                                + bool(args.get(0))
                                + " THEN "
                                + branches[0].sql()
                                + " ELSE "
                                + branches[1].sql()
                                + " END)",
                        type.orNullable(branches[1].type()),
                        hogql);
            case "isNull":
            case "isNotNull":
                arity(name, args, 1);
                return Comparisons.predicate(
                        "("
                                + args.get(0).sql()
                                + (name.equals("isNull") ? " IS NULL)" : " IS NOT NULL)"),
                        hogql);
            case "abs":
                arity(name, args, 1);
                return Sql.expr(
                        "abs(" + numeric(name, args.get(0)).sql() + ")", args.get(0).type(), hogql);
            case "round":
                if (args.isEmpty() || args.size() > 2) {
                    throw new HogQLException("Function 'round' expects 1 or 2 arguments");
                }
                String digits = args.size() == 2 ? ", " + args.get(1).sql() : "";
                return Sql.expr(
                        "round(" + numeric(name, args.get(0)).sql() + digits + ")",
                        HType.FLOAT64.withNullable(args.get(0).type().nullable()),
                        hogql);
            default:
                throw new HogQLException("Unsupported function call '" + rawName + "(...)'");
        }
    }

    private static Sql sum(Sql arg, String hogql) {
        boolean floating = arg.type().kind() == Kind.FLOAT;
        HType type =
                floating
                        ? HType.FLOAT64
                        : arg.type().baseName().startsWith("UInt") ? HType.UINT64 : HType.INT64;
        String sql = floating ? "sum(" + arg.sql() + ")" : "CAST(sum(" + arg.sql() + ") AS BIGINT)";
        if (arg.type().nullable()) {
            return Sql.expr(sql, type.withNullable(true), hogql);
        }
        return Sql.expr("COALESCE(" + sql + ", 0)", type, hogql);
    }

    private static Sql coalesce(List<Sql> args, String hogql) {
        List<String> parts = new ArrayList<>();
        HType type = HType.NULL;
        boolean nullable = true;
        for (Sql arg : args) {
            parts.add(arg.sql());
            if (type.kind() == Kind.NOTHING) {
                type = arg.type();
            }
            if (!arg.type().nullable()) {
                nullable = false;
            }
        }
        return Sql.expr(
                "COALESCE(" + String.join(", ", parts) + ")", type.withNullable(nullable), hogql);
    }

    private static Sql toDate(Sql arg, String hogql) throws HogQLException {
        return switch (arg.type().kind()) {
            case DATE -> Sql.expr(arg.sql(), arg.type(), hogql);
            case DATETIME ->
                    Sql.expr(
                            "CAST(" + arg.sql() + " AS DATE)",
                            HType.DATE.withNullable(arg.type().nullable()),
                            hogql);
            case NOTHING -> Sql.expr("CAST(NULL AS DATE)", HType.DATE.withNullable(true), hogql);
            case STRING ->
                    arg.isStringConstant()
                            ? Sql.expr(
                                    SqlLiterals.date(SqlLiterals.parseDate((String) arg.value())),
                                    HType.DATE,
                                    hogql)
                            : Sql.expr(
                                    "TRY_CAST(" + arg.sql() + " AS DATE)",
                                    HType.DATE.withNullable(true),
                                    hogql);
            default ->
                    throw new HogQLException(
                            "Illegal type "
                                    + arg.type().clickhouseName()
                                    + " of argument of function toDate");
        };
    }

    private static Sql toDateTime(Sql arg, String hogql) throws HogQLException {
        return switch (arg.type().kind()) {
            case DATETIME -> Sql.expr(arg.sql(), arg.type(), hogql);
            case DATE ->
                    Sql.expr(
                            "CAST(" + arg.sql() + " AS TIMESTAMP)",
                            HType.DATETIME.withNullable(arg.type().nullable()),
                            hogql);
            case NOTHING ->
                    Sql.expr("CAST(NULL AS TIMESTAMP)", HType.DATETIME.withNullable(true), hogql);
            case INTEGER ->
                    Sql.expr(
                            "make_timestamp(CAST(" + arg.sql() + " AS BIGINT) * 1000000)",
                            HType.DATETIME.withNullable(arg.type().nullable()),
                            hogql);
            case STRING ->
                    arg.isStringConstant()
                            ? Sql.expr(
                                    SqlLiterals.timestamp(
                                            SqlLiterals.parseInstant((String) arg.value())),
                                    HType.DATETIME,
                                    hogql)
                            : Sql.expr(
                                    "TRY_CAST(" + arg.sql() + " AS TIMESTAMP)",
                                    HType.DATETIME.withNullable(true),
                                    hogql);
            default ->
                    throw new HogQLException(
                            "Illegal type "
                                    + arg.type().clickhouseName()
                                    + " of argument of a date-time function");
        };
    }

    /** ClickHouse's toString: DateTime64(6) as 'YYYY-MM-DD hh:mm:ss.ffffff', Bool as true/false. */
    static String toStringSql(Sql arg) {
        return switch (arg.type().kind()) {
            case DATETIME -> "strftime(" + arg.sql() + ", '%Y-%m-%d %H:%M:%S.%f')";
            case PREDICATE -> "CAST(CAST(" + arg.sql() + " AS INTEGER) AS VARCHAR)";
            case BOOL ->
                    "(CASE WHEN "
                            + arg.sql()
                            + " THEN 'true' WHEN NOT "
                            + arg.sql()
                            + " THEN 'false' END)";
            case STRING -> arg.sql();
            default -> "CAST(" + arg.sql() + " AS VARCHAR)";
        };
    }

    /** A DuckDB boolean for a condition; numbers are true when non-zero, as in ClickHouse. */
    static String bool(Sql condition) throws HogQLException {
        return switch (condition.type().kind()) {
            case PREDICATE, BOOL -> condition.sql();
            case INTEGER, FLOAT -> "(" + condition.sql() + " <> 0)";
            case NOTHING -> "FALSE";
            default ->
                    throw new HogQLException(
                            "Illegal type "
                                    + condition.type().clickhouseName()
                                    + " of a condition: "
                                    + condition.hogql());
        };
    }

    private static Sql numeric(String name, Sql arg) throws HogQLException {
        if (arg.type().isNumeric() || arg.type().kind() == Kind.NOTHING) {
            return arg.type().kind() == Kind.PREDICATE
                    ? Sql.expr(
                            "CAST(" + arg.sql() + " AS INTEGER)",
                            new HType(Kind.INTEGER, "UInt8", false),
                            arg.hogql())
                    : arg;
        }
        throw new HogQLException(
                "Illegal type "
                        + arg.type().clickhouseName()
                        + " of argument of function "
                        + name
                        + ": "
                        + arg.hogql());
    }

    private static void arity(String name, List<Sql> args, int expected) throws HogQLException {
        if (args.size() != expected) {
            throw new HogQLException(
                    "Function '"
                            + name
                            + "' expects "
                            + expected
                            + " argument"
                            + (expected == 1 ? "" : "s")
                            + ", got "
                            + args.size());
        }
    }

    private static String joinHogql(List<Sql> args) {
        List<String> parts = new ArrayList<>();
        for (Sql arg : args) {
            parts.add(arg.hogql());
        }
        return String.join(", ", parts);
    }
}
