package io.github.concurrencycourse.processes.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ProcessStartLessonsTest {

  private static final Pattern PARENT_PID =
      Pattern.compile("^parent: pid (\\d+), thread (\\S+)$", Pattern.MULTILINE);
  private static final Pattern CHILD_PID =
      Pattern.compile("^\\[子进程1] 子进程1 is running: pid (\\d+), thread 子进程1$", Pattern.MULTILINE);

  @Test
  void functionStyleRunsTheTaskInAnotherProcessWhileTheParentGoesOn() throws Exception {
    String output =
        LessonRun.runLeavingNothingBehind(new ProcessStartFunctionLesson(), Pace.TEST, c -> c);

    assertRunInAChildThatTheParentDidNotWaitFor(output, "main Process");
  }

  @Test
  void subclassStyleRunsTheWorkerInAnotherProcessWhileTheParentGoesOn() throws Exception {
    String output =
        LessonRun.runLeavingNothingBehind(new ProcessStartSubclassLesson(), Pace.TEST, c -> c);

    assertRunInAChildThatTheParentDidNotWaitFor(output, "this is main process");
  }

  private static void assertRunInAChildThatTheParentDidNotWaitFor(String output, String mainLine) {
    Matcher parent = PARENT_PID.matcher(output);
    Matcher child = CHILD_PID.matcher(output);
    assertThat(parent.find()).as(output).isTrue();
    assertThat(child.find()).as(output).isTrue();
    assertThat(parent.group(1)).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
    assertThat(child.group(1)).isNotEqualTo(parent.group(1));

    List<String> lines = output.lines().toList();
    // The parent prints its line right after start(); the child's "done" needs a JVM boot and a
    // sleep first. Had start() waited for the task, "done" would come first.
    assertThat(lines.indexOf(mainLine)).isLessThan(lines.indexOf("[子进程1] 子进程1 done"));
    assertThat(LessonRun.linesOfChild(output, "子进程1"))
        .containsExactly(child.group().substring("[子进程1] ".length()), "子进程1 done");
    assertThat(lines.getLast()).isEqualTo("子进程1 (pid " + child.group(1) + ") exited with code 0");
  }
}
