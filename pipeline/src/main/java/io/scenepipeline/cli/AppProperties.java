package io.scenepipeline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings as the user sees them: the defaults bundled in the jar, overridden by {@code application.properties}
 * in the working directory, overridden by environment variables named after the key (Camel's convention:
 * {@code replicate.api-token} → {@code REPLICATE_API_TOKEN}), overridden by {@code -Dkey=value}.
 *
 * <p>Read here rather than through Camel's properties component alone because the CLI needs them before Camel starts
 * (the work-folder lock, the port check, the simulator, {@code --estimate}) and because Camel's order is another: its
 * environment-variable mode puts a variable above {@code -D}. Camel gets the effective values as override
 * properties, with its environment variables as a fallback only, so a route and the code see one value.
 */
final class AppProperties {

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)(?::([^}]*))?}}");

    private final Properties merged = new Properties();
    private final Map<String, String> environment;
    private final Properties system;

    private AppProperties(Map<String, String> environment, Properties system) {
        this.environment = environment;
        this.system = system;
    }

    static AppProperties load(Path workingDirectory, Map<String, String> environment, Properties system) throws IOException {
        AppProperties p = new AppProperties(environment, system);
        try (InputStream in = AppProperties.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                p.merged.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        }
        Path local = workingDirectory.resolve("application.properties");
        if (Files.isRegularFile(local)) {
            try (Reader r = Files.newBufferedReader(local, StandardCharsets.UTF_8)) {
                p.merged.load(r);
            }
        }
        for (String key : system.stringPropertyNames()) {
            if (isOurs(key)) {
                p.merged.setProperty(key, system.getProperty(key));
            }
        }
        return p;
    }

    private static boolean isOurs(String key) {
        return key.startsWith("pipeline.") || key.startsWith("retry.") || key.startsWith("replicate.")
                || key.startsWith("elevenlabs.") || key.startsWith("facerig.") || key.startsWith("simulator.")
                || key.startsWith("camel.");
    }

    void set(String key, String value) {
        merged.setProperty(key, value);
        system.remove(key);
    }

    /** The effective value of a key: -D, then the environment variable, then the files; {@code {{env:X:d}}} resolved. */
    String get(String key) {
        String sys = system.getProperty(key);
        if (sys != null) {
            return resolve(sys);
        }
        String env = environment.get(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        if (env != null) {
            return env;
        }
        String v = merged.getProperty(key);
        return v == null ? null : resolve(v);
    }

    /** Every key with its effective value: handed to Camel as override properties. */
    Properties effective() {
        Properties out = new Properties();
        for (String key : new TreeSet<>(merged.stringPropertyNames())) {
            String v = get(key);
            if (v != null) {
                out.setProperty(key, v);
            }
        }
        return out;
    }

    private String resolve(String value) {
        Matcher m = ENV.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String env = environment.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(env != null ? env : m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
