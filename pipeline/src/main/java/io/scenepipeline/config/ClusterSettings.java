package io.scenepipeline.config;

import io.scenepipeline.support.SettingsException;
import io.scenepipeline.support.SettingsReader;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Cluster mode: on when both {@code pipeline.cluster.broker-url} and {@code pipeline.journal.jdbc-url} are set.
 *
 * @param brokerUrl      {@code pipeline.cluster.broker-url}: ActiveMQ Artemis, e.g. {@code tcp://127.0.0.1:61616}
 * @param brokerUser     {@code pipeline.cluster.broker-user}
 * @param brokerPassword {@code pipeline.cluster.broker-password}
 * @param queue          {@code pipeline.cluster.queue}: the plans queue
 * @param jdbcUrl        {@code pipeline.journal.jdbc-url}: PostgreSQL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/scene_pipeline}
 * @param jdbcUser       {@code pipeline.journal.jdbc-user}
 * @param jdbcPassword   {@code pipeline.journal.jdbc-password}
 * @param artifacts      {@code pipeline.artifacts}: the journal's media, on a folder every node mounts
 * @param lease          {@code pipeline.journal.lease}: how long a node's claim on a step lasts unless renewed
 * @param outageTimeout  {@code pipeline.journal.outage-timeout}: how long a step waits for an unreachable database
 * @param node           this process's name in the claims: host, pid and a random part
 */
public record ClusterSettings(String brokerUrl, String brokerUser, String brokerPassword, String queue,
                              String jdbcUrl, String jdbcUser, String jdbcPassword, Path artifacts,
                              Duration lease, Duration outageTimeout, String node) {

    static final String ROUTES = "classpath:routes/cluster.camel.yaml";
    private static final String SINGLE_PROCESS_INTAKE = "classpath:routes/inbox.camel.yaml";

    /**
     * The route files of cluster mode, from those of the single-process mode ({@code camel.main.routes-include-pattern}):
     * the cluster's intake (shared inbox, plans queue) in place of the single-process inbox. The mode chooses its routes
     * before they load; none is loaded to be removed after.
     */
    public static String routes(String singleProcess) {
        if (!singleProcess.contains(SINGLE_PROCESS_INTAKE)) {
            throw new SettingsException("camel.main.routes-include-pattern: must list " + SINGLE_PROCESS_INTAKE + ", got " + singleProcess);
        }
        return singleProcess.replace(SINGLE_PROCESS_INTAKE, ROUTES);
    }


    /** The settings, or null in the single-process mode (neither URL set). */
    public static ClusterSettings from(Function<String, String> lookup, Path work) {
        String broker = blankToNull(lookup.apply("pipeline.cluster.broker-url"));
        String jdbc = blankToNull(lookup.apply("pipeline.journal.jdbc-url"));
        if (broker == null && jdbc == null) {
            return null;
        }
        if (broker == null || jdbc == null) {
            throw new SettingsException((broker == null ? "pipeline.cluster.broker-url" : "pipeline.journal.jdbc-url")
                    + ": is not set; cluster mode needs both pipeline.cluster.broker-url and pipeline.journal.jdbc-url");
        }
        if (!jdbc.startsWith("jdbc:postgresql:")) {
            throw new SettingsException("pipeline.journal.jdbc-url: must be a PostgreSQL URL (jdbc:postgresql://host:port/database), got '" + jdbc + "'");
        }
        SettingsReader r = new SettingsReader(lookup);
        String artifacts = blankToNull(lookup.apply("pipeline.artifacts"));
        return new ClusterSettings(broker, blankToNull(lookup.apply("pipeline.cluster.broker-user")),
                blankToNull(lookup.apply("pipeline.cluster.broker-password")),
                r.matching("pipeline.cluster.queue", "[A-Za-z0-9._-]{1,200}", "a queue name"),
                jdbc, blankToNull(lookup.apply("pipeline.journal.jdbc-user")), blankToNull(lookup.apply("pipeline.journal.jdbc-password")),
                artifacts == null ? work.resolve("journal").resolve("artifacts") : Path.of(artifacts),
                r.duration("pipeline.journal.lease"), r.duration("pipeline.journal.outage-timeout"), nodeName());
    }

    /** The passwords, for redaction. */
    public List<String> secrets() {
        return Stream.of(brokerPassword, jdbcPassword).filter(s -> s != null && !s.isEmpty()).toList();
    }

    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
