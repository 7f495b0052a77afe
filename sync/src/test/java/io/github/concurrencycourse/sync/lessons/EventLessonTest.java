package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Both endings of the seed's story. The pace is slower than the other tests' so that the margins
 * (the checker sets the event 5 seed seconds after the connectors give up, or 5 before) are half a
 * second each, far beyond any scheduling delay.
 */
@Timeout(30)
class EventLessonTest {

  private static final Pace PACE = new Pace(0.1);

  @Test
  void whenTheCheckerIsLateBothConnectorsGiveUpAfterThreeTries() throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EventLesson.Ending ending;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ending = EventLesson.story(out, PACE, EventLesson.LATE_CHECKER_SECONDS);
    }

    assertThat(ending).isEqualTo(new EventLesson.Ending(0, 2));
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(output)
        .contains("【conn1】第3次尝试链接", "【conn2】第3次尝试链接")
        .contains("【conn1】have tried too many times", "【conn2】have tried too many times")
        .doesNotContain("第4次", "链接成功");
    assertThat(output.indexOf("have tried too many times"))
        .isLessThan(output.indexOf("mysql is up"));
  }

  @Test
  void whenTheCheckerIsEarlyOneSetWakesBothConnectors() throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EventLesson.Ending ending;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ending = EventLesson.story(out, PACE, EventLesson.EARLY_CHECKER_SECONDS);
    }

    assertThat(ending).isEqualTo(new EventLesson.Ending(2, 0));
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("【conn1】链接成功!", "【conn2】链接成功!")
        .doesNotContain("too many times");
  }

  @Test
  void afterClearTheConnectorsWaitAgainUntilTheNextSet() throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EventLesson.Ending ending;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ending = EventLesson.clearedStory(out, PACE);
    }

    assertThat(ending).isEqualTo(new EventLesson.Ending(2, 0));
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(output)
        .contains("event.set():   is_set() = true", "event.clear(): is_set() = false")
        // Had clear() not cleared it, each connector would have connected without one try.
        .contains("【conn1】第1次尝试链接", "【conn2】第1次尝试链接")
        .contains("【conn1】第2次尝试链接", "【conn2】第2次尝试链接")
        .contains("【conn1】链接成功!", "【conn2】链接成功!");
    assertThat(output.indexOf("event.clear()")).isLessThan(output.indexOf("第1次尝试链接"));
    assertThat(output.lastIndexOf("第2次尝试链接")).isLessThan(output.indexOf("mysql is up"));
  }

  @Test
  void theLessonTellsAllThreeEndings() throws Exception {
    String output = LessonRun.run(new EventLesson(), PACE);

    assertThat(output)
        .contains("-- the seed: the checker needs 14 s")
        .contains("0 connected, 2 gave up")
        .contains("-- a checker that is done after 4 s --")
        .contains("2 connected, 0 gave up")
        .contains("-- event.clear(): mysql goes down again, the connectors must wait once more --");
    assertThat(output.indexOf("0 connected, 2 gave up"))
        .isLessThan(output.indexOf("2 connected, 0 gave up"));
    assertThat(output.lastIndexOf("2 connected, 0 gave up"))
        .isGreaterThan(output.indexOf("event.clear()"));
  }
}
