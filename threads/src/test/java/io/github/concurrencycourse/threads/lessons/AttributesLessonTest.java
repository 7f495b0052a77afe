package io.github.concurrencycourse.threads.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The attributes the lesson prints are facts about a live thread, and daemon threads die at exit.
 */
@Timeout(90)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttributesLessonTest {

  /** One run serves both tests: each run starts two child JVMs. */
  private String output;

  /** The name of the thread that ran the lesson, before and after. */
  private String nameBefore;

  private String nameAfter;

  @BeforeAll
  void runTheLessonOnce() throws Exception {
    nameBefore = Thread.currentThread().getName();
    output = LessonRun.run(new AttributesLesson(), Pace.TEST);
    nameAfter = Thread.currentThread().getName();
  }

  @Test
  void printsTheAttributesOfALiveThreadThenOfAFinishedOne() {
    assertThat(output)
        .containsPattern("(?m)^子线程1 is running$")
        .contains("main: renamed the worker to 儿子线程1")
        .contains("main: worker.isAlive() = true")
        .contains("儿子线程1 is done")
        .contains("main: after join, worker.isAlive() = false")
        .containsPattern("live threads of this group \\(enumerate\\) = \\[.*儿子线程1.*\\]");
    assertThat(LessonRun.liveThreadNames()).doesNotContain("儿子线程1", "子线程1");
  }

  @Test
  void theMainThreadRenamesItselfAsTheSeedDoesAndGetsItsOwnNameBack() {
    assertThat(output)
        .contains("main: Thread.currentThread().setName(\"主线程\")")
        .contains("main: Thread.currentThread().getName() = 主线程")
        .containsPattern("live threads of this group \\(enumerate\\) = \\[.*主线程.*\\]")
        .contains("main: its own name given back: " + nameBefore);
    assertThat(nameAfter).isEqualTo(nameBefore);
  }

  @Test
  void theJvmExitsWithoutItsDaemonWorkerButWaitsForANonDaemonOne() {
    String daemon = between(output, "-- a daemon worker", "-- a non-daemon worker");
    String nonDaemon = output.substring(output.indexOf("-- a non-daemon worker"));
    assertThat(daemon)
        .contains("child: worker (daemon=true) is running", "child: main returns")
        .doesNotContain("worker done")
        .contains("child exit code: 0");
    assertThat(nonDaemon)
        .contains("child: worker (daemon=false) is running", "child: worker done")
        .contains("child exit code: 0");
  }

  private static String between(String text, String from, String to) {
    return text.substring(text.indexOf(from), text.indexOf(to));
  }
}
