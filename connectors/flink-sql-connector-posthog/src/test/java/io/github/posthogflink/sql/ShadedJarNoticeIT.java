package io.github.posthogflink.sql;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded jar's {@code META-INF/NOTICE} lists exactly the third-party artifacts it bundles, as
 * {@code - groupId:artifactId:version} lines (the form of Apache Flink connectors' NOTICE files).
 * What is bundled is read from the jar itself: a dependency of the classpath is bundled when every
 * class it has is in the shaded jar, relocated or not. A version bump or a new dependency that is
 * not written into {@code src/main/resources/META-INF/NOTICE} fails here.
 */
class ShadedJarNoticeIT {
    private static final String SHADED = "io/github/posthogflink/shaded/";
    private static final Pattern LISTED =
            Pattern.compile("^- ([\\w.\\-]+):([\\w.\\-]+):([\\w.\\-]+)$", Pattern.MULTILINE);

    @Test
    void noticeListsEveryBundledArtifactAndNothingElse() throws Exception {
        Set<String> bundled = bundledArtifacts();
        assertThat(bundled)
                .as("the jar bundles Jackson, Netty, AsyncHttpClient and Caffeine")
                .anyMatch(a -> a.startsWith("com.fasterxml.jackson.core:jackson-databind:"))
                .anyMatch(a -> a.startsWith("io.netty:netty-handler:"))
                .anyMatch(a -> a.startsWith("org.asynchttpclient:async-http-client:"))
                .anyMatch(a -> a.startsWith("com.github.ben-manes.caffeine:caffeine:"));

        assertThat(listedInNotice())
                .as("META-INF/NOTICE (src/main/resources) against what the jar bundles")
                .containsExactlyInAnyOrderElementsOf(bundled);
    }

    private static Set<String> listedInNotice() throws IOException {
        try (JarFile jar = new JarFile(ShadedJarIT.jarFile())) {
            JarEntry notice = jar.getJarEntry("META-INF/NOTICE");
            assertThat(notice).as("META-INF/NOTICE").isNotNull();
            String text =
                    new String(jar.getInputStream(notice).readAllBytes(), StandardCharsets.UTF_8);
            Set<String> listed = new TreeSet<>();
            Matcher m = LISTED.matcher(text);
            while (m.find()) {
                listed.add(m.group(1) + ":" + m.group(2) + ":" + m.group(3));
            }
            return listed;
        }
    }

    /** groupId:artifactId:version of each local-repository jar whose classes are all shaded in. */
    private static Set<String> bundledArtifacts() throws IOException {
        Set<String> shadedEntries;
        try (JarFile jar = new JarFile(ShadedJarIT.jarFile())) {
            shadedEntries =
                    Collections.list(jar.entries()).stream()
                            .map(JarEntry::getName)
                            .collect(Collectors.toSet());
        }
        Set<String> bundled = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace('\\', '/');
            int repository = path.indexOf("/repository/");
            if (!path.endsWith(".jar") || repository < 0) {
                continue;
            }
            List<String> classes = classesOf(Path.of(entry).toFile());
            if (!classes.isEmpty()
                    && classes.stream()
                            .allMatch(
                                    c ->
                                            shadedEntries.contains(c)
                                                    || shadedEntries.contains(SHADED + c))) {
                bundled.add(coordinates(path.substring(repository + "/repository/".length())));
            }
        }
        return bundled;
    }

    private static List<String> classesOf(File file) throws IOException {
        List<String> classes = new ArrayList<>();
        try (JarFile jar = new JarFile(file)) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String name = e.getName();
                // the shade configuration drops module descriptors and multi-release variants
                if (name.endsWith(".class")
                        && !name.startsWith("META-INF/")
                        && !name.endsWith("module-info.class")) {
                    classes.add(name);
                }
            }
        }
        return classes;
    }

    /** {@code com/x/y/artifact/1.0/artifact-1.0.jar} to {@code com.x.y:artifact:1.0}. */
    private static String coordinates(String repositoryPath) {
        String[] parts = repositoryPath.split("/");
        int n = parts.length;
        String version = parts[n - 2];
        String artifactId = parts[n - 3];
        String groupId = String.join(".", List.of(parts).subList(0, n - 3));
        return groupId + ":" + artifactId + ":" + version;
    }
}
