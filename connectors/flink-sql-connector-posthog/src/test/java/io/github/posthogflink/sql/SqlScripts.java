package io.github.posthogflink.sql;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the scripts of {@code sql/}, fills their placeholders, and runs them statement by
 * statement.
 */
final class SqlScripts {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");
    private static final Pattern SET = Pattern.compile("(?is)SET\\s+'([^']+)'\\s*=\\s*'([^']*)'");

    private SqlScripts() {}

    static Path dir() {
        return Path.of(System.getProperty("sql.scripts.dir", "../../sql"));
    }

    /** The script with every placeholder replaced; fails on a placeholder without a value. */
    static String load(String name, Map<String, String> values) throws IOException {
        String text = Files.readString(dir().resolve(name));
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("No value for ${" + m.group(1) + "} in " + name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The statements of a script: comment lines dropped, split at a ';' ending a line. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.strip().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.strip().endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    /** Runs every statement; SET goes to the table config, INSERTs are awaited. */
    static void run(TableEnvironment env, String script) throws Exception {
        for (String statement : statements(script)) {
            Matcher set = SET.matcher(statement);
            if (set.matches()) {
                env.getConfig().set(set.group(1), set.group(2));
                continue;
            }
            TableResult result = env.executeSql(statement);
            if (statement.regionMatches(true, 0, "INSERT", 0, 6)) {
                result.await();
            }
        }
    }
}
