package io.github.posthogflink.reliability.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A second build of the pipeline jar, as a release would ship it: every entry of the first jar
 * rewritten (recompressed, new timestamps) into a new file, with a different build id in {@code
 * io/github/posthogflink/jobs/build.properties}, which the job shows in its user config.
 */
public final class RebuiltJar {
    /** The pipeline's build resource. */
    public static final String BUILD_RESOURCE = "io/github/posthogflink/jobs/build.properties";

    private RebuiltJar() {}

    /** Writes {@code target}: {@code jar} with build id {@code buildId}. */
    public static Path withBuildId(Path jar, Path target, String buildId) throws IOException {
        Files.createDirectories(target.getParent());
        boolean replaced = false;
        try (ZipFile source = new ZipFile(jar.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            Enumeration<? extends ZipEntry> entries = source.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals(BUILD_RESOURCE)) {
                    String properties =
                            new String(
                                    source.getInputStream(entry).readAllBytes(),
                                    StandardCharsets.UTF_8);
                    out.write(
                            properties
                                    .replaceAll("(?m)^build=.*$", "build=" + buildId)
                                    .getBytes(StandardCharsets.UTF_8));
                    replaced = true;
                } else if (!entry.isDirectory()) {
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        }
        if (!replaced) {
            throw new IllegalStateException(jar + " has no " + BUILD_RESOURCE);
        }
        return target;
    }

    /** The SHA-256 of a file, in hex. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
