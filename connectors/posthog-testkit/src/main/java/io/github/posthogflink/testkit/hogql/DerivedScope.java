package io.github.posthogflink.testkit.hogql;

import java.util.List;

/**
 * A subquery in FROM ({@code SELECT * FROM (SELECT ...) [AS t]}): its result columns are the
 * fields, with the names and types the subquery reports. Fields of nested values ({@code t.a.b})
 * are not supported.
 */
final class DerivedScope implements TableScope {
    private static final String ALIAS = "sub";
    private final Translator.Translation inner;

    DerivedScope(Translator.Translation inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return "(" + inner.hogql() + ")";
    }

    @Override
    public List<String> starColumns() {
        return inner.columns();
    }

    @Override
    public Sql resolve(List<String> chain, String hogql) throws HogQLException {
        int i = inner.columns().indexOf(chain.get(0));
        if (i < 0) {
            throw Fields.unknown(chain.get(0));
        }
        if (chain.size() > 1) {
            throw new HogQLException("Unsupported: nested field of a subquery column " + hogql);
        }
        return Sql.expr(ALIAS + ".\"c" + i + "\"", inner.types().get(i), hogql);
    }

    @Override
    public String fromClause() {
        return " FROM (" + inner.sql() + ") AS " + ALIAS;
    }

    @Override
    public String rowIdColumn() {
        return null;
    }
}
