package io.github.posthogflink.reliability.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds a fat job jar with {@code java.util.jar}, shaped like one from the shade plugin: the job's
 * classes (one package of the test classes) plus every class of its dependencies, {@code
 * META-INF/services} files merged, signatures and module descriptors left out, Flink not bundled.
 */
public final class JobJar {

    private JobJar() {}

    /**
     * Writes the jar.
     *
     * @param jobPackage the package (as a path, e.g. {@code io/github/.../job/}) taken from the
     *     test classes
     */
    public static Path build(Path target, String mainClass, String jobPackage) throws IOException {
        Files.createDirectories(target.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        Map<String, ByteArrayOutputStream> services = new LinkedHashMap<>();
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target), manifest)) {
            Map<String, Boolean> written = new LinkedHashMap<>();
            written.put("META-INF/MANIFEST.MF", true);
            addDirectory(jar, HarnessSettings.testClasses(), jobPackage, written, services);
            for (Path dependency : HarnessSettings.jobClasspath()) {
                if (Files.isDirectory(dependency)) {
                    addDirectory(jar, dependency, "", written, services);
                } else {
                    addJar(jar, dependency, written, services);
                }
            }
            for (Map.Entry<String, ByteArrayOutputStream> service : services.entrySet()) {
                jar.putNextEntry(new JarEntry(service.getKey()));
                jar.write(service.getValue().toByteArray());
                jar.closeEntry();
            }
        }
        return target;
    }

    private static void addDirectory(
            JarOutputStream jar,
            Path root,
            String prefix,
            Map<String, Boolean> written,
            Map<String, ByteArrayOutputStream> services)
            throws IOException {
        Path start = root.resolve(prefix);
        if (!Files.isDirectory(start)) {
            throw new IOException("no such directory: " + start);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(start)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String name = root.relativize(file).toString().replace('\\', '/');
            try (InputStream in = Files.newInputStream(file)) {
                addEntry(jar, name, in, written, services);
            }
        }
    }

    private static void addJar(
            JarOutputStream jar,
            Path path,
            Map<String, Boolean> written,
            Map<String, ByteArrayOutputStream> services)
            throws IOException {
        try (JarFile source = new JarFile(path.toFile())) {
            var entries = source.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                try (InputStream in = source.getInputStream(entry)) {
                    addEntry(jar, entry.getName(), in, written, services);
                }
            }
        }
    }

    private static void addEntry(
            JarOutputStream jar,
            String name,
            InputStream in,
            Map<String, Boolean> written,
            Map<String, ByteArrayOutputStream> services)
            throws IOException {
        if (skipped(name)) {
            return;
        }
        if (name.startsWith("META-INF/services/")) {
            ByteArrayOutputStream merged =
                    services.computeIfAbsent(name, n -> new ByteArrayOutputStream());
            in.transferTo(merged);
            merged.write("\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (written.putIfAbsent(name, true) != null) {
            return; // first wins, as the shade plugin warns and does
        }
        jar.putNextEntry(new JarEntry(name));
        copy(in, jar);
        jar.closeEntry();
    }

    private static boolean skipped(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return upper.equals("META-INF/MANIFEST.MF")
                || name.endsWith("module-info.class")
                || (upper.startsWith("META-INF/")
                        && (upper.endsWith(".SF")
                                || upper.endsWith(".DSA")
                                || upper.endsWith(".RSA")));
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }
}
