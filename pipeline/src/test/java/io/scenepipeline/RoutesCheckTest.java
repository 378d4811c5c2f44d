package io.scenepipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file in routes/ checked at build time, before any route runs: against the YAML DSL's own JSON schema (an
 * unknown or misspelt key fails here, not at startup), every {@code {{placeholder}}} without a default has a value
 * in application.properties, and camel.main.routes-include-pattern names exactly the files there.
 */
class RoutesCheckTest {

    /** Set by PipelineConfiguration at startup, not by the user. */
    private static final Set<String> COMPUTED = Set.of("pipeline.inflight-dir");
    /** Parameters of the replicate-predict route template, filled in by its templated routes. */
    private static final Set<String> TEMPLATE_PARAMETERS = Set.of("component");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");

    @Test
    void should_use_only_keys_the_yaml_dsl_knows() throws Exception {
        Schema schema;
        try (InputStream in = org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            schema = SchemaRegistry.withDefaultDialect(Dialects.getDraft4()).getSchema(in);
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<String> problems = new ArrayList<>();
        for (Path file : routeFiles()) {
            JsonNode routes = yaml.readTree(file.toFile());
            for (Error e : schema.validate(routes)) {
                // a placeholder where a number goes is resolved at startup: the schema cannot know its type
                if ("type".equals(e.getKeyword()) && e.getInstanceNode() != null && e.getInstanceNode().asText().matches("\\{\\{[^}]+}}")) {
                    continue;
                }
                problems.add(file.getFileName() + " " + e.getInstanceLocation() + ": " + e.getMessage());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void should_catch_a_misspelt_key() throws Exception {
        Schema schema;
        try (InputStream in = org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            schema = SchemaRegistry.withDefaultDialect(Dialects.getDraft4()).getSchema(in);
        }
        JsonNode bad = new ObjectMapper(new YAMLFactory()).readTree("""
                - route:
                    id: x
                    from:
                      uri: direct:x
                      steps:
                        - throttle:
                            expression: {constant: {expression: "1"}}
                            asyncDelay: true
                """);
        assertThat(schema.validate(bad)).isNotEmpty();
    }

    @Test
    void should_have_a_value_for_every_placeholder_without_a_default() throws Exception {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            props.load(in);
        }
        Set<String> missing = new TreeSet<>();
        for (Path file : routeFiles()) {
            Matcher m = PLACEHOLDER.matcher(Files.readString(file));
            while (m.find()) {
                String key = m.group(1);
                boolean hasDefault = key.contains(":");
                if (!hasDefault && !props.containsKey(key) && !COMPUTED.contains(key) && !TEMPLATE_PARAMETERS.contains(key)) {
                    missing.add(file.getFileName() + ": {{" + key + "}}");
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void should_load_exactly_the_route_files_there_are() throws Exception {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            props.load(in);
        }
        List<String> listed = Arrays.stream(props.getProperty("camel.main.routes-include-pattern").split(","))
                .map(String::trim).map(s -> s.replace("classpath:routes/", "")).toList();
        // and the cluster routes, which cluster mode loads in place of the inbox route
        listed = Stream.concat(listed.stream(), Stream.of("cluster.camel.yaml")).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(routeFiles().stream().map(p -> p.getFileName().toString()).toList());
    }

    private static List<Path> routeFiles() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }
}
