package io.scenepipeline.config;

import io.scenepipeline.assembly.AssemblySettings;
import io.scenepipeline.lifecycle.InboxSettings;
import io.scenepipeline.provider.Prices;
import io.scenepipeline.retry.RetryBudget;
import io.scenepipeline.run.Budget;
import io.scenepipeline.support.SettingsException;
import io.scenepipeline.support.SettingsReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every bad or missing setting in one go, each with its key and fix, instead of one per start: the settings are read
 * as a run reads them; a key that fails is noted and read again with its bundled default (or a stand-in for a key
 * that has none, such as a token), and the reading goes on, until everything has been read.
 */
public final class SettingsCheck {

    private static final Pattern KEY = Pattern.compile("^([a-z][a-zA-Z0-9.-]*[a-zA-Z0-9]):");
    private static final int MOST = 100;

    private SettingsCheck() {
    }

    /** Each problem as {@code key: what is wrong, and the fix}; empty when every setting reads. */
    public static List<String> problems(Function<String, String> lookup) {
        Properties bundled = bundled();
        Map<String, String> standIns = new HashMap<>();
        Function<String, String> current = key -> standIns.containsKey(key) ? standIns.get(key) : lookup.apply(key);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < MOST; i++) {
            try {
                readAll(current);
                return problems;
            } catch (SettingsException e) {
                problems.add(e.getMessage());
                Matcher key = KEY.matcher(e.getMessage());
                if (!key.find() || standIns.containsKey(key.group(1))) {
                    return problems; // nothing to read it again with: what was found is said
                }
                String fallback = bundled.getProperty(key.group(1));
                standIns.put(key.group(1), fallback == null || fallback.isBlank() || fallback.contains("{{") ? "stand-in" : fallback);
            }
        }
        return problems;
    }

    /** Reads every setting a run reads (the same classes, the same checks). */
    static void readAll(Function<String, String> lookup) {
        PipelineSettings settings = PipelineSettings.from(lookup);
        InboxSettings.from(lookup);
        AssemblySettings.from(lookup);
        ClusterSettings.from(lookup, settings.folders().work());
        Prices.of(lookup, settings.elevenlabs().model());
        RetryBudget.from(lookup, settings.retry().maxRedeliveries());
        Budget.parse(java.util.Objects.requireNonNullElse(lookup.apply("pipeline.max-cost-per-plan"), ""));
        SettingsReader r = new SettingsReader(lookup);
        if (!"false".equalsIgnoreCase(String.valueOf(lookup.apply("camel.management.enabled")).trim())) {
            r.integer("camel.management.port", 0, 65_535);
        }
        for (String key : TimeKeys.KEYS) {
            if (lookup.apply(key) != null && !lookup.apply(key).isBlank()) {
                r.millis(key, 0);
            }
        }
    }

    private static Properties bundled() {
        Properties p = new Properties();
        try (InputStream in = SettingsCheck.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no bundled defaults: stand-ins only
        }
        return p;
    }
}
