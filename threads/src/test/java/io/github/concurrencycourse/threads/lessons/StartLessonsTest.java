package io.github.concurrencycourse.threads.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StartLessonsTest {

  @Test
  void functionStyleRunsTheTaskOnItsOwnThreadAndTheBuildersMakePlatformAndVirtualThreads()
      throws Exception {
    String output = LessonRun.run(new StartFunctionLesson(), Pace.TEST);

    assertThat(output)
        .contains("main thread")
        .contains("线程1 is running (virtual: false)")
        .contains("线程2 is running (virtual: false)")
        .contains("线程3 is running (virtual: true)");
    for (String name : new String[] {"线程1", "线程2", "线程3"}) {
      assertThat(output.indexOf(name + " is running")).isLessThan(output.indexOf(name + " done"));
    }
    assertThat(output.indexOf("线程1 done")).isLessThan(output.indexOf("-- the Java 21 builders"));
    assertThat(LessonRun.liveThreadNames()).doesNotContain("线程1", "线程2", "线程3");
  }

  @Test
  void subclassStyleRunsItsOwnRunMethodUnderTheGivenName() throws Exception {
    String output = LessonRun.run(new StartSubclassLesson(), Pace.TEST);

    assertThat(output).contains("this is main thread", "子线程1 is running", "子线程1 done");
    assertThat(output.indexOf("子线程1 is running")).isLessThan(output.indexOf("子线程1 done"));
    assertThat(LessonRun.liveThreadNames()).doesNotContain("子线程1");
  }
}
