package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CourseCommandTest {

  private final CourseConsole console = new CourseConsole();

  @Test
  void listSaysPlainlyWhenThereAreNoLessons() {
    assertThat(console.run(List.of(), "", "list")).isZero();
    assertThat(console.out()).contains("No lessons are registered yet");
  }

  @Test
  void listShowsTheLessonsInTourOrderUnderTheSectionEachPorts() {
    int exit =
        console.run(
            List.of(
                ScriptedLesson.printing("sync.mutex", SeedSection.THREAD_MUTEX),
                ScriptedLesson.printing(
                    "threads.start-function", SeedSection.THREAD_START_FUNCTION)),
            "",
            "list");

    assertThat(exit).isZero();
    assertThat(console.out().lines())
        .containsExactly(
            "线程 开启方式一",
            "  threads.start-function  scripted threads.start-function",
            "线程的互斥锁",
            "  sync.mutex              scripted sync.mutex");
  }

  @Test
  void listShowsALessonBeyondTheSeedUnderAHeadingOfItsOwnAfterTheSectionItFollows() {
    int exit =
        console.run(
            List.of(
                new BeyondTheSeedLesson("sync.read-write", SeedSection.WITH_LOCK),
                ScriptedLesson.printing("sync.event", SeedSection.EVENT),
                ScriptedLesson.printing("sync.with-lock", SeedSection.WITH_LOCK)),
            "",
            "list");

    assertThat(exit).isZero();
    assertThat(console.out().lines())
        .containsExactly(
            "加锁解锁的另一种写法",
            "  sync.with-lock   scripted sync.with-lock",
            "beyond the seed (after 加锁解锁的另一种写法)",
            "  sync.read-write  beyond the seed: sync.read-write",
            "Event",
            "  sync.event       scripted sync.event");
  }

  @Test
  void runPassesPaceInputAndLessonArguments() {
    ScriptedLesson echo =
        new ScriptedLesson(
            "sync.echo",
            SeedSection.EVENT,
            true,
            c ->
                c.out()
                    .println(
                        "pace="
                            + c.pace().factor()
                            + " args="
                            + c.arguments()
                            + " in="
                            + c.in().readLine()));

    int exit =
        console.run(
            List.of(echo),
            "hello\n",
            "run",
            "sync.echo",
            "--db",
            "db.txt",
            "--pace",
            "0.5",
            "--unsafe",
            "x");

    assertThat(exit).isZero();
    assertThat(console.out()).contains("pace=0.5 args=[--db, db.txt, --unsafe, x] in=hello");
  }

  @Test
  void runOfAFailingLessonExitsOneWithItsStackTrace() {
    ScriptedLesson failing =
        new ScriptedLesson(
            "sync.broken",
            SeedSection.EVENT,
            false,
            c -> {
              throw new IllegalStateException("the lock was never released");
            });

    assertThat(console.run(List.of(failing), "", "run", "sync.broken")).isEqualTo(1);
    assertThat(console.err())
        .contains("lesson sync.broken failed")
        .contains("IllegalStateException: the lock was never released");
  }

  @Test
  void tourRunsNonInteractiveLessonsInSeedOrderAndSummarises() {
    int exit =
        console.run(
            List.of(
                ScriptedLesson.printing("sync.event", SeedSection.EVENT),
                new ScriptedLesson(
                    "threads.captcha",
                    SeedSection.TIMER,
                    true,
                    c -> c.out().println("asked for input")),
                ScriptedLesson.printing(
                    "processes.start-function", SeedSection.PROCESS_START_FUNCTION)),
            "",
            "tour",
            "--pace",
            "0.01");

    assertThat(exit).isZero();
    assertThat(console.out())
        .containsSubsequence(
            "processes.start-function ran at pace 0.01",
            "sync.event ran at pace 0.01",
            "| lesson | seed section | result | time |",
            "| processes.start-function | 开启并发进程 方式一 | passed |",
            "| sync.event | Event | passed |",
            "2 of 2 lessons passed.")
        .doesNotContain("asked for input");
  }

  @Test
  void tourNamesALessonBeyondTheSeedAsListDoes() {
    int exit =
        console.run(
            List.of(
                new BeyondTheSeedLesson("sync.condition", SeedSection.EVENT),
                ScriptedLesson.printing("sync.event", SeedSection.EVENT)),
            "",
            "tour");

    assertThat(exit).isZero();
    assertThat(console.out())
        .containsSubsequence(
            "=== sync.event: scripted sync.event [Event]",
            "=== sync.condition: beyond the seed: sync.condition [beyond the seed (after Event)]",
            "| sync.event | Event | passed |",
            "| sync.condition | beyond the seed (after Event) | passed |");
  }

  @Test
  void tourGoesOnAfterAFailureAndExitsNonZero() {
    int exit =
        console.run(
            List.of(
                new ScriptedLesson(
                    "sync.broken",
                    SeedSection.THREAD_MUTEX,
                    false,
                    c -> {
                      throw new AssertionError("lost update");
                    }),
                ScriptedLesson.printing("sync.event", SeedSection.EVENT)),
            "",
            "tour");

    assertThat(exit).isEqualTo(1);
    assertThat(console.out())
        .contains("| sync.broken | 线程的互斥锁 | failed |")
        .contains("| sync.event | Event | passed |")
        .contains("1 of 2 lessons passed.");
    assertThat(console.err()).contains("AssertionError: lost update");
  }

  @Test
  void tourInterruptsALessonThatOutlivesItsDeadline() {
    CountDownLatch interrupted = new CountDownLatch(1);
    ScriptedLesson hanging =
        new ScriptedLesson(
            "sync.hang",
            SeedSection.DEADLOCK,
            false,
            c -> {
              try {
                new CountDownLatch(1).await();
              } finally {
                interrupted.countDown();
              }
            });

    int exit = console.run(List.of(hanging), "", "tour", "--timeout", "PT0.2S");

    assertThat(exit).isEqualTo(1);
    assertThat(interrupted.getCount()).isZero();
    assertThat(console.out()).contains("| sync.hang | 死锁 | timed out |");
  }

  /** A lesson that teaches what the seed does not, following {@code seedSection} in the tour. */
  private record BeyondTheSeedLesson(String id, SeedSection seedSection) implements Lesson {

    @Override
    public String title() {
      return "beyond the seed: " + id;
    }

    @Override
    public boolean beyondTheSeed() {
      return true;
    }

    @Override
    public void run(LessonContext context) {
      context.out().println(id);
    }
  }
}
