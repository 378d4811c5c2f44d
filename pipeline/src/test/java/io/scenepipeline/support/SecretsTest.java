package io.scenepipeline.support;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Secrets never reach a line; a short password does not mask the names it happens to be part of. */
class SecretsTest {

    @Test
    void should_redact_a_long_secret_wherever_it_stands() {
        Secrets secrets = new Secrets(List.of("r8-long-secret-token-0123"));

        assertThat(secrets.redact("token=r8-long-secret-token-0123 and xr8-long-secret-token-0123x")).isEqualTo("token=*** and x***x");
    }

    @Test
    void should_redact_a_short_password_where_it_stands_as_a_value_but_not_inside_a_longer_name() {
        Secrets secrets = new Secrets(List.of("pipeline"));

        assertThat(secrets.redact("queue scene-pipeline-inbox on tcp://scene:pipeline@host, password=pipeline; \"pipeline\""))
                .isEqualTo("queue scene-pipeline-inbox on tcp://scene:***@host, password=***; \"***\"");
    }
}
