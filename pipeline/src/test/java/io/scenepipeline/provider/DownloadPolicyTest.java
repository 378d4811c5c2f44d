package io.scenepipeline.provider;

import io.scenepipeline.provider.replicate.DownloadPolicy;
import io.scenepipeline.provider.replicate.ForbiddenDownloadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DownloadPolicyTest {

    private final DownloadPolicy policy = new DownloadPolicy(URI.create("http://127.0.0.1:8089"), List.of("replicate.delivery"));

    @Test
    void should_allow_replicate_delivery_over_https_and_the_base_url_host() {
        assertThat(policy.check("https://replicate.delivery/pbxt/abc/out-0.png")).hasHost("replicate.delivery");
        assertThat(policy.check("https://pbxt.replicate.delivery/abc/out-0.png")).hasHost("pbxt.replicate.delivery");
        assertThat(policy.check("http://127.0.0.1:8089/files/out.mp4")).hasPort(8089);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "file:///etc/passwd | Refusing to download the output from a file: URL; only https is allowed",
            "jar:file:/x.jar!/a | Refusing to download the output from a jar: URL; only https is allowed",
            "ftp://replicate.delivery/x | Refusing to download the output from a ftp: URL; only https is allowed",
            "http://replicate.delivery/x.png | Refusing to download the output from replicate.delivery over plain http; only https is allowed",
            "https://evil.example.com/x.png | Refusing to download the output from evil.example.com: not a host in replicate.download-hosts (replicate.delivery)",
            "https://replicate.delivery.evil.com/x.png | not a host in replicate.download-hosts",
            "http://169.254.169.254/latest/meta-data/ | Refusing to download the output from 169.254.169.254: not a host in replicate.download-hosts",
            "http://127.0.0.1:22/ | Refusing to download the output from 127.0.0.1: not a host in replicate.download-hosts",
            "/relative/path.png | Refusing to download the output from a relative URL; only https is allowed"})
    void should_refuse_other_schemes_hosts_and_ports(String url, String message) {
        assertThatThrownBy(() -> policy.check(url)).isInstanceOf(ForbiddenDownloadException.class).hasMessageContaining(message);
    }

    @Test
    void should_refuse_an_allowed_name_that_resolves_to_a_private_address() {
        DownloadPolicy local = new DownloadPolicy(URI.create("https://api.replicate.com"), List.of("localhost"));

        assertThatThrownBy(() -> local.check("https://localhost/x.png"))
                .isInstanceOf(ForbiddenDownloadException.class).hasMessageContaining("resolves to the private address");
    }
}
