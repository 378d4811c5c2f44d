package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What operators and their tools leave in an inbox besides plan files: links, pipes, devices, folders. */
class HostileInboxTest extends PipelineTestSupport {

    @Test
    void should_set_links_pipes_and_devices_aside_as_themselves_without_opening_them() throws Exception {
        Path secrets = Files.writeString(dir.resolve("application.properties"), "replicate.api-token=r8_NOT_FOR_THE_DEAD_LETTERS\n");
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.createSymbolicLink(inbox.resolve("leak.json"), secrets);
        Files.createSymbolicLink(inbox.resolve("zero.json"), Path.of("/dev/zero"));
        Files.createSymbolicLink(inbox.resolve("passwd.json"), Path.of("/etc/passwd"));
        mkfifo(inbox.resolve("pipe.json"));
        Files.createLink(inbox.resolve("hard.json"), secrets);

        await().atMost(Duration.ofSeconds(20)).until(() -> Stream.of("leak", "zero", "passwd", "pipe", "hard")
                .allMatch(n -> Files.exists(deadLetter(n + ".error.json"))));

        for (String link : List.of("leak", "zero", "passwd")) {
            assertThat(Files.isSymbolicLink(deadLetter(link + ".json"))).as("%s.json moved as the link itself", link).isTrue();
            JsonNode report = readJson(deadLetter(link + ".error.json"));
            assertThat(report.path("stage").asText()).isEqualTo("validation");
            assertThat(report.path("error").asText()).contains(link + ".json is a symbolic link to ")
                    .contains("not a regular file: only regular files are read from the inbox, never through a link");
        }
        assertThat(readJson(deadLetter("hard.error.json")).path("error").asText())
                .contains("hard.json is a hard link (one of 2 names of one file), not a regular file");
        // another name of the key file: neither read, nor copied, nor kept under a new name; the key file is untouched
        assertThat(deadLetter("hard.json")).as("only the name of the letter, empty").isEmptyFile();
        assertThat(secrets).hasContent("replicate.api-token=r8_NOT_FOR_THE_DEAD_LETTERS\n");
        assertThat(Files.getAttribute(secrets, "unix:nlink")).isEqualTo(1);
        assertThat(Files.readAttributes(deadLetter("pipe.json"), java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).isOther()).as("the pipe moved as a pipe").isTrue();
        assertThat(readJson(deadLetter("pipe.error.json")).path("error").asText()).contains("pipe.json is a named pipe (FIFO)");
        assertThat(regularFilesUnder(dir.resolve("dead-letter"))).allSatisfy(f -> {
            assertThat(Files.size(f)).isLessThan(100_000);
            assertThat(Files.readString(f)).doesNotContain("r8_NOT_FOR_THE_DEAD_LETTERS").doesNotContain("root:x:0:0");
        });
        assertThat(Files.list(inbox).filter(p -> !p.getFileName().toString().startsWith("."))).isEmpty();
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void should_leave_a_folder_named_like_a_plan_and_keep_taking_plans() throws Exception {
        stubHappyProviders();
        Files.createDirectories(dir.resolve("inbox/folder.json"));

        runPlan("after.json", plan(1));

        assertThat(dir.resolve("inbox/folder.json")).isDirectory();
        assertThat(outbox("after").resolve("manifest.json")).exists();
        assertThat(deadLetter("folder.json")).doesNotExist();
    }

    @Test
    void should_run_a_plan_after_a_pipe_that_would_block_its_reader() throws Exception {
        stubHappyProviders();
        mkfifo(Files.createDirectories(dir.resolve("inbox")).resolve("blocker.json"));

        runPlan("next.json", plan(1));

        assertThat(outbox("next").resolve("manifest.json")).exists();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(deadLetter("blocker.error.json")));
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    private static List<Path> regularFilesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
