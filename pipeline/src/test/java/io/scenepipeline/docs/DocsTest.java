package io.scenepipeline.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The documentation stands alone: every link in README.md, docs/ and bench/ resolves inside the repository. */
class DocsTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md"), Path.of("bench", "README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    @Test
    void should_resolve_every_relative_link_to_a_file_and_heading_of_the_repository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents()) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? doc.toAbsolutePath() : doc.toAbsolutePath().getParent().resolve(file).normalize();
                if (!resolved.startsWith(Path.of("").toAbsolutePath()) || !Files.exists(resolved)) {
                    broken.add(doc + ": " + target);
                } else if (anchor != null && !headings(resolved).contains(anchor)) {
                    broken.add(doc + ": " + target + " (no such heading)");
                }
            }
        }

        assertThat(broken).isEmpty();
    }

    @Test
    void should_not_point_outside_the_repository() throws IOException {
        for (Path doc : documents()) {
            // a folder beside the repository (the developers' own notes) that a user who clones it does not have
            String besideTheRepository = "../" + "shared";
            assertThat(Files.readString(doc)).as("%s", doc).doesNotContain(besideTheRepository).doesNotContain("interface.md");
        }
    }

    /** GitHub's heading anchors: lower case, spaces as dashes, punctuation other than - and _ dropped. */
    private static List<String> headings(Path md) throws IOException {
        List<String> anchors = new ArrayList<>();
        for (String line : Files.readAllLines(md)) {
            if (line.startsWith("#")) {
                String text = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
                anchors.add(text.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
