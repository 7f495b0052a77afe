package io.github.concurrencycourse.memorymodel.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.memorymodel.lessons.VisibilityLesson.Kind;
import io.github.concurrencycourse.memorymodel.lessons.VisibilityLesson.Outcome;
import io.github.concurrencycourse.testkit.LessonRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(120)
class VisibilityLessonTest {

  @ParameterizedTest
  @EnumSource(
      value = Kind.class,
      names = {"VOLATILE", "SYNCHRONIZED", "ATOMIC_OPAQUE", "VAR_HANDLE_OPAQUE"})
  void everyFixedFlagIsSeenByTheCompiledLoop(Kind kind) throws Exception {
    Outcome outcome = VisibilityLesson.observe(kind);

    assertThat(outcome.terminated()).as(outcome.detail()).isTrue();
    assertThat(outcome.detail()).startsWith("saw the flag");
  }

  /**
   * HotSpot's C2 reads a plain field once, before a loop that does not synchronize. The child
   * compiles the loop before the flag is set, and the test checks that it did; a JVM whose JIT kept
   * the read in the loop would fail here, and the lesson's text would have to change.
   */
  @Test
  void thePlainFlagIsNeverSeenOnceC2HasCompiledTheLoop() throws Exception {
    Outcome outcome = VisibilityLesson.observe(Kind.PLAIN);

    assertThat(outcome.jit()).as("C2's compilation of the loop").isPresent();
    assertThat(outcome.terminated()).as(outcome.detail()).isFalse();
    assertThat(outcome.detail()).startsWith("still spinning");
  }

  @Test
  void theLessonShowsOneStaleReaderAndFourThatTerminate() throws Exception {
    String output = LessonRun.run(new VisibilityLesson(), Pace.TEST);

    assertThat(output)
        .containsPattern("plain boolean +STALE +still spinning \\d+ ms after the flag was set")
        .containsPattern("C2 compiled the loop: .*PlainFlag::spinUntilSet")
        .containsPattern("volatile boolean +TERMINATED +saw the flag")
        .containsPattern("synchronized getter/setter +TERMINATED")
        .containsPattern("AtomicBoolean.getOpaque\\(\\) +TERMINATED")
        .containsPattern("VarHandle getOpaque +TERMINATED");
  }
}
