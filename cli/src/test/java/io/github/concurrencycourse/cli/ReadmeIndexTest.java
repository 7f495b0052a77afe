package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The root README's index is only worth reading if it names exactly the lessons that exist. */
class ReadmeIndexTest {

  private static final Pattern ROW =
      Pattern.compile(
          "^\\| (.+?) \\| \\[`([a-z0-9.-]+)`\\]\\(([a-z-]+)/README\\.md\\) \\| ([a-z-]+) \\|$");

  @Test
  void theIndexListsEveryLessonWithItsModuleAndSectionAndNothingElse() throws IOException {
    // Surefire runs in the module's directory; the README is at the root of the reactor.
    List<String> lines = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    List<Matcher> rows = lines.stream().map(ROW::matcher).filter(Matcher::matches).toList();
    LessonRegistry registry = LessonRegistry.load();

    for (Lesson lesson : registry.all()) {
      assertThat(rows)
          .as("README index row for %s", lesson.id())
          .anyMatch(
              row ->
                  row.group(2).equals(lesson.id())
                      && row.group(3).equals(lesson.module())
                      && row.group(4).equals(lesson.module())
                      && row.group(1).contains(lesson.seedSection().heading()));
    }
    for (Matcher row : rows) {
      assertThat(registry.find(row.group(2))).as("lesson named in the README index").isPresent();
    }
  }
}
