package io.github.posthogflink.jobs;

import io.github.posthogflink.jobs.cli.OptionSpec;
import io.github.posthogflink.jobs.cli.PipelineCli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No registry is reachable here, so the docker files are checked against each other and against the
 * build: image names, ports, jar paths, Flink version, and the pipeline's options.
 */
class DockerFilesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final String USRLIB_JAR = "/opt/flink/usrlib/posthog-pipeline.jar";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void dockerfileCopiesThePipelineJarOntoTheFlinkImage() throws Exception {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        Matcher image =
                Pattern.compile("ARG FLINK_IMAGE=flink:(\\d+\\.\\d+)-java17").matcher(dockerfile);
        assertThat(image.find()).isTrue();
        assertThat(flinkVersionInPom()).startsWith(image.group(1) + ".");
        assertThat(dockerfile).contains("FROM ${FLINK_IMAGE}");
        Matcher copy = Pattern.compile("COPY (?:--\\S+ )*(\\S+) (\\S+)").matcher(dockerfile);
        assertThat(copy.find()).isTrue();
        assertThat(copy.group(1)).isEqualTo("jobs/target/posthog-pipeline.jar");
        assertThat(copy.group(2)).isEqualTo(USRLIB_JAR);
        // the jar the build makes has that name
        String jobsPom = Files.readString(ROOT.resolve("jobs/pom.xml"));
        assertThat(jobsPom)
                .contains(
                        "<outputFile>${project.build.directory}/posthog-pipeline.jar</outputFile>");
    }

    @Test
    void composeWiresKafkaPostHogAndTheFlinkSessionCluster() throws Exception {
        JsonNode compose = YAML.readTree(DOCKER.resolve("docker-compose.yml").toFile());
        JsonNode services = compose.get("services");
        assertThat(fieldNames(services))
                .contains("kafka", "posthog", "jobmanager", "taskmanager", "submit");

        for (String name : fieldNames(services)) {
            JsonNode build = services.get(name).get("build");
            if (build != null) {
                Path context = DOCKER.resolve(build.get("context").asText()).normalize();
                assertThat(context).isEqualTo(ROOT);
                assertThat(context.resolve(build.get("dockerfile").asText())).exists();
            }
        }
        for (String flink : List.of("jobmanager", "taskmanager", "submit")) {
            assertThat(services.at("/" + flink + "/build/dockerfile").asText())
                    .isEqualTo("docker/Dockerfile");
        }
        assertThat(services.at("/posthog/build/dockerfile").asText())
                .isEqualTo("docker/testkit/Dockerfile");
        assertThat(services.at("/kafka/image").asText()).startsWith("apache/kafka:");
        assertThat(services.at("/kafka/image").asText()).endsWith(kafkaVersionInPom());

        List<String> submit = strings(services.at("/submit/command"));
        assertThat(submit.subList(0, 2)).containsExactly("flink", "run");
        assertThat(submit).contains(USRLIB_JAR);
        List<String> args = submit.subList(submit.indexOf(USRLIB_JAR) + 1, submit.size());
        assertOptionsKnown(args);

        // the submission reaches the JobManager's REST port
        String jobmanager = valueAfter(submit, "--jobmanager");
        assertThat(jobmanager).isEqualTo("jobmanager:" + containerPort(services.get("jobmanager")));
        assertThat(services.at("/jobmanager/environment/FLINK_PROPERTIES").asText())
                .contains("rest.port: 8081", "jobmanager.rpc.address: jobmanager");
        assertThat(services.at("/taskmanager/environment/FLINK_PROPERTIES").asText())
                .contains("jobmanager.rpc.address: jobmanager");

        // Kafka: the pipeline uses the advertised in-network listener
        String advertised = services.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText();
        assertThat(advertised)
                .contains("PLAINTEXT://" + valueAfter(args, "--kafka-bootstrap-servers"));
        assertThat(services.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText())
                .isEqualTo("broker,controller");

        // PostHog: the testkit's port, its keys match the submission's defaults
        String testkitDockerfile = Files.readString(DOCKER.resolve("testkit/Dockerfile"));
        int testkitPort = containerPort(services.get("posthog"));
        assertThat(testkitDockerfile).contains("EXPOSE " + testkitPort);
        // the inspection API answers anyone who reaches it: published on the host's loopback only,
        // while the image asks explicitly for every interface inside the container
        assertThat(strings(services.at("/posthog/ports")))
                .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
        assertThat(testkitDockerfile).contains("\"--host\", \"0.0.0.0\"");
        assertThat(valueAfter(args, "--posthog-host")).isEqualTo("http://posthog:" + testkitPort);
        List<String> testkitArgs = strings(services.at("/posthog/command"));
        assertThat(services.at("/submit/environment/POSTHOG_PROJECT_API_KEY").asText())
                .contains(valueAfter(testkitArgs, "--project-api-key"));
        assertThat(services.at("/submit/environment/POSTHOG_PERSONAL_API_KEY").asText())
                .contains(valueAfter(testkitArgs, "--personal-api-key"));
        assertThat(valueAfter(args, "--project-id"))
                .isEqualTo(valueAfter(testkitArgs, "--project-id"));
        assertThat(args).doesNotContain("--project-api-key", "--personal-api-key");
    }

    @Test
    void hostNetworkOverrideRunsTheComposeServicesOnLoopback() throws Exception {
        JsonNode compose = YAML.readTree(DOCKER.resolve("docker-compose.yml").toFile());
        // SnakeYAML itself: the override uses anchors and merge keys, which Jackson leaves as is.
        JsonNode host =
                YAML.valueToTree(
                        new org.yaml.snakeyaml.Yaml()
                                .load(Files.readString(DOCKER.resolve("docker-compose.host.yml"))));
        List<String> services = fieldNames(compose.get("services"));
        assertThat(fieldNames(host.get("services"))).containsExactlyInAnyOrderElementsOf(services);
        for (String name : services) {
            JsonNode service = host.get("services").get(name);
            assertThat(service.get("network_mode").asText()).as(name).isEqualTo("host");
            // every service name resolves to loopback, the containers' own names included
            assertThat(strings(service.get("extra_hosts")))
                    .as(name)
                    .containsAll(services.stream().map(s -> s + ":127.0.0.1").toList());
            JsonNode build = service.get("build");
            if (build != null) {
                Path dockerfile = DOCKER.resolve(build.get("context").asText()).normalize();
                assertThat(dockerfile.resolve(build.get("dockerfile").asText())).exists();
            }
        }
        // the images' defaults stay the official ones
        assertThat(host.at("/services/kafka/image").asText())
                .endsWith(":-" + compose.at("/services/kafka/image").asText() + "}");
        assertThat(host.at("/services/jobmanager/build/args/FLINK_IMAGE").asText())
                .contains("flink:" + flinkVersionInPom().replaceAll("\\.\\d+$", "") + "-java17");
    }

    @Test
    void localStandInImagesDefaultToTheOfficialBaseAndCopyTheMavenBuiltLibs() throws Exception {
        for (String image : List.of("flink", "kafka")) {
            String dockerfile = Files.readString(DOCKER.resolve(image + "/Dockerfile"));
            assertThat(dockerfile).contains("ARG BASE_IMAGE=eclipse-temurin:17-jre");
            assertThat(dockerfile)
                    .contains("COPY --chown=")
                    .contains("docker/" + image + "/target/lib/");
            assertThat(DOCKER.resolve(image + "/pom.xml")).exists();
        }
        String entrypoint = Files.readString(DOCKER.resolve("flink/docker-entrypoint.sh"));
        assertThat(entrypoint)
                .contains("jobmanager)", "taskmanager)", "standalone-job)", "FLINK_PROPERTIES");
        String rootPom = Files.readString(ROOT.resolve("pom.xml"));
        assertThat(rootPom)
                .contains("<module>docker/flink</module>", "<module>docker/kafka</module>");
    }

    @Test
    void flinkDeploymentRunsTheJarFromTheImageWithKeysFromASecret() throws Exception {
        JsonNode deployment = YAML.readTree(DOCKER.resolve("k8s/flink-deployment.yaml").toFile());
        assertThat(deployment.get("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(deployment.get("kind").asText()).isEqualTo("FlinkDeployment");
        JsonNode spec = deployment.get("spec");
        assertThat(spec.at("/job/jarURI").asText()).isEqualTo("local://" + USRLIB_JAR);
        assertThat(spec.at("/job/entryClass").asText()).isEqualTo(PipelineMain.class.getName());
        String[] version = flinkVersionInPom().split("\\.");
        assertThat(spec.get("flinkVersion").asText())
                .isEqualTo("v" + version[0] + "_" + version[1]);
        List<String> args = strings(spec.at("/job/args"));
        assertOptionsKnown(args);
        assertThat(args).doesNotContain("--project-api-key", "--personal-api-key");
        JsonNode container = spec.at("/podTemplate/spec/containers/0");
        assertThat(container.get("name").asText()).isEqualTo("flink-main-container");
        Set<String> env = new java.util.HashSet<>();
        container
                .get("env")
                .forEach(
                        e -> {
                            assertThat(e.has("value")).as("keys come from a secret").isFalse();
                            assertThat(e.at("/valueFrom/secretKeyRef/name").asText()).isNotEmpty();
                            env.add(e.get("name").asText());
                        });
        assertThat(env)
                .containsExactlyInAnyOrder(
                        PipelineCli.PROJECT_API_KEY_ENV, PipelineCli.PERSONAL_API_KEY_ENV);
    }

    @Test
    void composeFlinkContainersCheckpointToOneSharedVolume() throws Exception {
        JsonNode compose = YAML.readTree(DOCKER.resolve("docker-compose.yml").toFile());
        for (String name : List.of("jobmanager", "taskmanager")) {
            JsonNode service = compose.at("/services/" + name);
            String dir = flinkProperty(service, "execution.checkpointing.dir");
            assertThat(dir).as(name).startsWith("file://");
            String mount =
                    strings(service.get("volumes")).stream()
                            .filter(v -> dir.substring("file://".length()).startsWith(mountPath(v)))
                            .findFirst()
                            .orElseThrow(
                                    () -> new AssertionError(name + ": " + dir + " unmounted"));
            String volume = mount.substring(0, mount.indexOf(':'));
            assertThat(compose.at("/volumes").has(volume)).as("named volume %s", volume).isTrue();
            assertThat(volume).isEqualTo("flink-data");
        }
        // the image creates the mount point, owned by flink: a new named volume copies its owner
        assertThat(Files.readString(DOCKER.resolve("Dockerfile")))
                .contains("mkdir -p /opt/flink/data && chown flink:flink /opt/flink/data");
    }

    @Test
    void flinkDeploymentKeepsCheckpointsAndHaOnAPersistentVolume() throws Exception {
        JsonNode deployment = YAML.readTree(DOCKER.resolve("k8s/flink-deployment.yaml").toFile());
        JsonNode conf = deployment.at("/spec/flinkConfiguration");
        assertThat(conf.get("high-availability.type").asText()).isEqualTo("kubernetes");
        JsonNode pod = deployment.at("/spec/podTemplate/spec");
        String mountPath = pod.at("/containers/0/volumeMounts/0/mountPath").asText();
        String volumeName = pod.at("/containers/0/volumeMounts/0/name").asText();
        for (String key :
                List.of(
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "high-availability.storageDir")) {
            assertThat(conf.get(key).asText()).as(key).startsWith("file://" + mountPath + "/");
        }
        JsonNode volume = pod.at("/volumes/0");
        assertThat(volume.get("name").asText()).isEqualTo(volumeName);
        assertThat(volume.has("emptyDir")).as("an emptyDir dies with its pod").isFalse();
        String claim = volume.at("/persistentVolumeClaim/claimName").asText();
        JsonNode pvc = YAML.readTree(DOCKER.resolve("k8s/flink-data-pvc.yaml").toFile());
        assertThat(pvc.get("kind").asText()).isEqualTo("PersistentVolumeClaim");
        assertThat(pvc.at("/metadata/name").asText()).isEqualTo(claim);
        assertThat(strings(pvc.at("/spec/accessModes"))).containsExactly("ReadWriteMany");
    }

    private static String flinkProperty(JsonNode service, String key) {
        for (String line : service.at("/environment/FLINK_PROPERTIES").asText().split("\n")) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        throw new AssertionError(key + " not in FLINK_PROPERTIES");
    }

    private static String mountPath(String volume) {
        String[] parts = volume.split(":");
        return parts[1];
    }

    private static void assertOptionsKnown(List<String> args) {
        Set<String> known =
                PipelineCli.OPTIONS.stream().map(OptionSpec::name).collect(Collectors.toSet());
        for (String arg : args) {
            if (arg.startsWith("--")) {
                assertThat(known).as("option %s", arg).contains(arg.substring(2));
            }
        }
    }

    private static String valueAfter(List<String> args, String option) {
        int i = args.indexOf(option);
        assertThat(i).as("%s in %s", option, args).isGreaterThanOrEqualTo(0);
        return args.get(i + 1);
    }

    private static int containerPort(JsonNode service) {
        String mapping = service.get("ports").get(0).asText();
        return Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String flinkVersionInPom() throws Exception {
        return property("flink.version");
    }

    private static String kafkaVersionInPom() throws Exception {
        return property("kafka.version");
    }

    private static String property(String name) throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)<").matcher(pom);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
