package io.scenepipeline.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The management server beyond loopback needs management.token: the start says so in one line, before any plan. */
class ManagementPortTest {

    @Test
    void should_refuse_to_listen_beyond_loopback_without_a_token() {
        Map<String, String> open = Map.of("camel.management.enabled", "true", "camel.management.host", "0.0.0.0",
                "camel.management.port", "0");
        assertThatThrownBy(() -> ManagementPort.checkFree(open::get)).isInstanceOf(ScenePipelineApp.StartupException.class)
                .hasMessageContaining("camel.management.host=0.0.0.0 listens beyond loopback")
                .hasMessageContaining("set management.token");
        Map<String, String> withToken = Map.of("camel.management.enabled", "true", "camel.management.host", "0.0.0.0",
                "camel.management.port", "0", "management.token", "a-long-random-string");
        assertThatCode(() -> ManagementPort.checkFree(withToken::get)).doesNotThrowAnyException();
        Map<String, String> loopback = Map.of("camel.management.enabled", "true", "camel.management.host", "127.0.0.1",
                "camel.management.port", "0");
        assertThatCode(() -> ManagementPort.checkFree(loopback::get)).doesNotThrowAnyException();
    }
}
