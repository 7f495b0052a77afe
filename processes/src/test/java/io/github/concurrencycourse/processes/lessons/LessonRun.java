package io.github.concurrencycourse.processes.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Runs a lesson the way the launcher does, checks that it left no child process (nor any other
 * descendant) and no thread behind, and returns what it printed.
 */
final class LessonRun {

  private LessonRun() {}

  static String run(Lesson lesson, Pace pace, String... arguments) throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      lesson.run(LessonContext.of(out, pace).withArguments(List.of(arguments)));
    }
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
        .as("processes left running by " + lesson.id())
        .isEmpty();
    // Output readers and exit watchers end a moment after their child.
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInSameThread()
        .untilAsserted(() -> assertThat(before.startedSince()).isEmpty());
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The lines of {@code output} printed by child {@code name}, without the prefix. */
  static List<String> linesOf(String output, String name) {
    String prefix = "[" + name + "] ";
    return output
        .lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .toList();
  }
}
