package io.github.posthogflink.connector.table;

import io.github.posthogflink.client.PostHogCredentials;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/**
 * How the PostHog SQL connectors reach PostHog: where their keys come from ({@code credentials.*},
 * on the model of flink-connector-aws's {@code aws.credentials.provider}) and the HTTP proxy
 * ({@code client.proxy.*}). Every PostHog table takes them.
 */
@PublicEvolving
public final class PostHogAccessOptions {

    private PostHogAccessOptions() {}

    /** Where a table's API keys come from. */
    public enum CredentialsProvider {
        /** The key options of the DDL ({@code project-api-key}, ...). */
        INLINE,
        /** Environment variables of the TaskManager, read when the task opens. */
        ENV,
        /** A properties or JSON file on the TaskManager, read when the task opens. */
        FILE
    }

    public static final ConfigOption<CredentialsProvider> CREDENTIALS_PROVIDER =
            ConfigOptions.key("credentials.provider")
                    .enumType(CredentialsProvider.class)
                    .defaultValue(CredentialsProvider.INLINE)
                    .withDescription(
                            "INLINE: the key options of the DDL; ENV: environment variables; FILE:"
                                    + " a properties or JSON file. ENV and FILE are read by each"
                                    + " task when it opens, so the keys are in no plan or"
                                    + " catalog.");

    public static final ConfigOption<String> CREDENTIALS_ENV_PROJECT_API_KEY =
            envVariable(PostHogCredentials.Key.PROJECT_API_KEY);

    public static final ConfigOption<String> CREDENTIALS_ENV_PERSONAL_API_KEY =
            envVariable(PostHogCredentials.Key.PERSONAL_API_KEY);

    public static final ConfigOption<String> CREDENTIALS_ENV_FLAGS_SECURE_API_KEY =
            envVariable(PostHogCredentials.Key.FLAGS_SECURE_API_KEY);

    public static final ConfigOption<String> CREDENTIALS_FILE_PATH =
            ConfigOptions.key("credentials.file.path")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "With credentials.provider = FILE: the file, a JSON object (name"
                                    + " ending .json) or Java properties, with the entries"
                                    + " project-api-key, personal-api-key, flags-secure-api-key.");

    public static final ConfigOption<String> CLIENT_PROXY_HOST =
            ConfigOptions.key("client.proxy.host")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "HTTP proxy host (HTTPS goes through CONNECT). Without it, the JVM's"
                                    + " http(s).proxyHost, http(s).proxyPort and"
                                    + " http.nonProxyHosts apply when set.");

    public static final ConfigOption<Integer> CLIENT_PROXY_PORT =
            ConfigOptions.key("client.proxy.port")
                    .intType()
                    .noDefaultValue()
                    .withDescription("HTTP proxy port; required with client.proxy.host.");

    public static final ConfigOption<String> CLIENT_PROXY_USERNAME =
            ConfigOptions.key("client.proxy.username")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("User name for the proxy's Basic authentication.");

    public static final ConfigOption<String> CLIENT_PROXY_PASSWORD =
            ConfigOptions.key("client.proxy.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Password for the proxy's Basic authentication (masked by Flink).");

    public static final ConfigOption<List<String>> CLIENT_PROXY_NON_PROXY_HOSTS =
            ConfigOptions.key("client.proxy.non-proxy-hosts")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Hosts reached directly, separated by ';': host, *.suffix or"
                                    + " prefix*.");

    private static ConfigOption<String> envVariable(PostHogCredentials.Key key) {
        return ConfigOptions.key("credentials.env." + key.option())
                .stringType()
                .defaultValue(key.defaultVariable())
                .withDescription(
                        "With credentials.provider = ENV: the environment variable of the "
                                + key.description()
                                + ".");
    }
}
