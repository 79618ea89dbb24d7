package io.github.posthogflink.sql;

import org.apache.flink.table.factories.Factory;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checks the shaded jar after {@code package}: its contents, and that it loads on its own. */
class ShadedJarIT {
    private static final String SHADED = "io/github/posthogflink/shaded/";

    /** Libraries the jar must carry relocated; their unrelocated jars stay off the loaders. */
    private static final List<String> RELOCATED =
            List.of("com/fasterxml/", "io/netty/", "org/asynchttpclient/", "com/github/benmanes/");

    /** Libraries that must not appear unrelocated (whether or not a dependency needs them). */
    private static final List<String> FORBIDDEN =
            List.of(
                    "com/fasterxml/",
                    "io/netty/",
                    "org/asynchttpclient/",
                    "com/github/benmanes/",
                    "org/reactivestreams/",
                    "com/typesafe/netty/");

    @Test
    void containsOnlyOurClassesAndRelocatedLibraries() throws Exception {
        List<String> entries = entries();
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/"));
        for (String prefix : FORBIDDEN) {
            assertThat(entries).as(prefix).noneMatch(e -> e.startsWith(prefix));
            assertThat(entries)
                    .as(prefix)
                    .noneMatch(e -> e.matches("META-INF/versions/\\d+/" + prefix + ".*"));
        }
        for (String prefix : RELOCATED) {
            assertThat(entries).as(prefix).anyMatch(e -> e.startsWith(SHADED + prefix));
        }
        assertThat(entries)
                .as("AsyncHttpClient's defaults under relocated keys")
                .contains(SHADED + "org/asynchttpclient/config/ahc-default.properties");
        assertThat(entries)
                .filteredOn(e -> e.endsWith(".class"))
                .allMatch(e -> e.startsWith("io/github/posthogflink/"));
        assertThat(entries).contains("io/github/posthogflink/client/version.properties");

        try (JarFile jar = new JarFile(jarFile())) {
            JarEntry services = jar.getJarEntry("META-INF/services/" + Factory.class.getName());
            assertThat(services).isNotNull();
            String text =
                    new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text.lines().filter(l -> !l.isBlank()).toList())
                    .contains(
                            "io.github.posthogflink.connector.table.PostHogDynamicTableSinkFactory",
                            "io.github.posthogflink.connector.table.PersonsLookupTableFactory",
                            "io.github.posthogflink.connector.table.FlagsLookupTableFactory",
                            "io.github.posthogflink.connector.table.HogQLTableSourceFactory");
        }
    }

    @Test
    void loadsInACleanClassLoaderBesideFlinkOnly() throws Exception {
        try (URLClassLoader flink =
                        new URLClassLoader(flinkClasspath(), ClassLoader.getPlatformClassLoader());
                URLClassLoader connector =
                        new URLClassLoader(new URL[] {jarFile().toURI().toURL()}, flink)) {
            assertThatThrownBy(() -> flink.loadClass("com.fasterxml.jackson.databind.ObjectMapper"))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> flink.loadClass("io.netty.channel.Channel"))
                    .isInstanceOf(ClassNotFoundException.class);

            Class<?> factoryType = flink.loadClass(Factory.class.getName());
            TreeSet<String> identifiers = new TreeSet<>();
            for (Object factory : ServiceLoader.load(factoryType, connector)) {
                if (factory.getClass().getClassLoader() == connector) {
                    Method id = factoryType.getMethod("factoryIdentifier");
                    identifiers.add((String) id.invoke(factory));
                    // Options reference Flink's classes from the parent loader.
                    factoryType.getMethod("requiredOptions").invoke(factory);
                    factoryType.getMethod("optionalOptions").invoke(factory);
                }
            }
            assertThat(identifiers)
                    .containsExactlyInAnyOrder(
                            "posthog", "posthog-persons", "posthog-flags", "posthog-hogql");

            // The relocated Jackson works through the client's mapper.
            Class<?> json = connector.loadClass("io.github.posthogflink.client.http.Json");
            Object mapper = json.getField("MAPPER").get(null);
            assertThat(mapper.getClass().getName())
                    .startsWith("io.github.posthogflink.shaded.com.fasterxml.jackson.");
            Object text =
                    mapper.getClass()
                            .getMethod("writeValueAsString", Object.class)
                            .invoke(mapper, Map.of("a", 1));
            assertThat(text).isEqualTo("{\"a\":1}");

            // The relocated AsyncHttpClient and Netty start and stop.
            Class<?> configType =
                    connector.loadClass("io.github.posthogflink.client.PostHogClientConfig");
            Object builder = configType.getMethod("builder").invoke(null);
            builder.getClass()
                    .getMethod("host", String.class)
                    .invoke(builder, "http://127.0.0.1:9");
            Object config = builder.getClass().getMethod("build").invoke(builder);
            Class<?> clientType =
                    connector.loadClass("io.github.posthogflink.client.PostHogClient");
            Object client = clientType.getMethod("create", configType).invoke(null, config);
            ((AutoCloseable) client).close();
        }
    }

    /**
     * A serializable lambda records its implementation's signature as a string in {@code
     * $deserializeLambda$}; relocation rewrites the bytecode but not such strings, so a lambda
     * whose signature names a relocated type fails to deserialize in a job ("Invalid lambda
     * deserialization"). None of our classes may carry one.
     */
    @Test
    void noSerializableLambdaNamesARelocatedType() throws Exception {
        List<String> offenders = new ArrayList<>();
        try (JarFile jar = new JarFile(jarFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.startsWith(SHADED)) {
                    continue;
                }
                String text =
                        new String(
                                jar.getInputStream(entry).readAllBytes(),
                                StandardCharsets.ISO_8859_1);
                if (!text.contains("$deserializeLambda$")) {
                    continue;
                }
                for (String prefix : FORBIDDEN) {
                    if (text.contains("L" + prefix)) {
                        offenders.add(name + " names " + prefix);
                    }
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    /** Every jar of the test classpath from the local repository, less the relocated libraries. */
    static URL[] flinkClasspath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace('\\', '/');
            if (!path.endsWith(".jar") || !path.contains("/repository/")) {
                continue;
            }
            boolean relocatedLibrary =
                    path.contains("/com/fasterxml/")
                            || path.contains("/io/netty/")
                            || path.contains("/org/asynchttpclient/")
                            || path.contains("/com/github/ben-manes/")
                            || path.contains("/org/reactivestreams/")
                            || path.contains("/com/typesafe/netty/")
                            || path.contains("/io/github/posthogflink/")
                            || path.contains("/org/apache/kafka/");
            if (!relocatedLibrary) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return urls.toArray(new URL[0]);
    }

    static File jarFile() {
        File jar = new File(System.getProperty("shaded.jar", "target/missing.jar"));
        assertThat(jar).as("run after package: mvn verify").exists();
        return jar;
    }

    private static List<String> entries() throws Exception {
        try (JarFile jar = new JarFile(jarFile())) {
            return Collections.list(jar.entries()).stream()
                    .map(JarEntry::getName)
                    .filter(n -> !n.endsWith("/"))
                    .toList();
        }
    }
}
