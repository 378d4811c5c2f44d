package io.scenepipeline.cli;

import io.scenepipeline.support.log.Logs;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Function;

/**
 * The management server (health, metrics, {@code camel.management.*}): a port another process holds stops startup
 * with one line naming the port and the key, before any plan is taken; "Health on …" is said only once it listens, with the port it was given when {@code camel.management.port=0}.
 */
final class ManagementPort {

    private static final int CONNECT_MS = 2000;

    private ManagementPort() {
    }

    private static boolean enabled(Function<String, String> props) {
        return Boolean.parseBoolean(props.apply("camel.management.enabled"));
    }

    private static String host(Function<String, String> props) {
        String host = props.apply("camel.management.host");
        return host == null || host.isBlank() ? "0.0.0.0" : host.trim();
    }

    private static int port(Function<String, String> props) {
        String port = props.apply("camel.management.port");
        try {
            return Integer.parseInt(port == null ? "8080" : port.trim());
        } catch (NumberFormatException e) {
            throw new ScenePipelineApp.StartupException("bad setting camel.management.port: must be a whole number, got '" + port + "'");
        }
    }

    private static String taken(int port) {
        return "port " + port + " is already in use (camel.management.port); stop what uses it, set camel.management.port "
                + "to a free port, or camel.management.enabled=false";
    }

    /** Fails when the port cannot be bound now (the way the management server will bind it). */
    static void checkFree(Function<String, String> props) {
        if (!enabled(props)) {
            return;
        }
        String token = props.apply("management.token");
        if (!java.util.Set.of("127.0.0.1", "localhost", "::1").contains(host(props)) && (token == null || token.isBlank())) {
            throw new ScenePipelineApp.StartupException("camel.management.host=" + host(props) + " listens beyond loopback, where "
                    + "the console's API needs a token: set management.token (a long random string; send it as Authorization: "
                    + "Bearer <token>) or camel.management.host=127.0.0.1");
        }
        int port = port(props);
        if (port == 0) {
            return; // any free port
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host(props), port));
        } catch (IOException e) {
            throw new ScenePipelineApp.StartupException(taken(port));
        }
    }

    /** The port the server listens on: the one configured, or the one it was given for port 0. */
    private static int bound(CamelContext context, int configured) {
        ManagementHttpServer server = context == null ? null : context.hasService(ManagementHttpServer.class);
        return configured != 0 || server == null || server.getRouter() == null ? configured : server.getRouter().getServer().getPort();
    }

    /** After startup: checks that the server listens, then says where; else stops the run. */
    static final class Listener extends MainListenerSupport {

        private final Main main;
        private final Function<String, String> props;
        private volatile String failure;

        Listener(Main main, Function<String, String> props) {
            this.main = main;
            this.props = props;
        }

        String failure() {
            return failure;
        }

        @Override
        public void afterStart(BaseMainSupport support) {
            if (!enabled(props)) {
                return;
            }
            String host = host(props);
            String connectTo = "0.0.0.0".equals(host) ? "127.0.0.1" : host;
            int port = bound(support.getCamelContext(), port(props));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(connectTo, port), CONNECT_MS);
            } catch (IOException e) {
                failure = taken(port);
                main.completed();
                return;
            }
            String base = "http://" + host + ":" + port;
            Logs.of(ManagementPort.class).info("Health on {}/observe/health, metrics on {}/observe/metrics, console on {}/console/",
                    base, base, base);
        }
    }
}
