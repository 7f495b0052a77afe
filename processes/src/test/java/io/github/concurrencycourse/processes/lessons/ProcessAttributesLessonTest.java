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
class ProcessAttributesLessonTest {

  @Test
  void showsAliveJoinExitCodeTerminateAndADaemonChildEndingWithItsParentUnlikePythons()
      throws Exception {
    String output =
        LessonRun.runLeavingNothingBehind(
            new ProcessAttributesLesson(),
            Pace.TEST,
            c -> c.withArguments(List.of("--python-daemon")));

    assertThat(output)
        .containsPattern("(?m)^name=p1 pid=\\d+ alive=true exitcode=None$")
        .containsPattern("(?m)^after join: name=p1 pid=\\d+ alive=false exitcode=0$")
        .containsPattern("(?m)^name=p2 pid=\\d+ alive=true exitcode=None$")
        .containsPattern(
            "(?m)^after terminate and join: name=p2 pid=\\d+ alive=false exitcode=143 ")
        .containsPattern("(?m)^守护进程: pid \\d+, alive=true, child of 父进程 \\(pid \\d+\\)$")
        .containsPattern(
            "(?m)^killed 父进程 with SIGKILL: name=父进程 pid=\\d+ alive=false exitcode=137 ")
        .containsPattern(
            "(?m)^守护进程 ended by itself \\d+ ms after its parent was killed: alive=false$");

    // The grandchild was re-parented when its parent died, so no longer our descendant: check it
    // by pid, as it would be left running if it were not a daemon.
    Matcher daemon = Pattern.compile("守护进程: pid (\\d+)").matcher(output);
    assertThat(daemon.find()).isTrue();
    assertThat(ProcessHandle.of(Long.parseLong(daemon.group(1))).filter(ProcessHandle::isAlive))
        .isEmpty();

    // Python's daemon: nothing ends it after its parent's SIGKILL; the lesson has to.
    assertThat(output)
        .containsPattern(
            "(?m)^守护进程-py: pid \\d+, alive=true, child of 父进程-py \\(pid \\d+\\), which would"
                + " terminate it at a normal exit$")
        .containsPattern(
            "(?m)^killed 父进程-py with SIGKILL: name=父进程-py pid=\\d+ alive=false exitcode=137 ")
        .containsPattern(
            "(?m)^守护进程-py \\d+ ms after its parent was killed \\(at least twice as long as 守护进程 took"
                + " to end\\): alive=true, an orphan now \\(parent pid \\d+\\)$")
        .containsPattern("(?m)^killed 守护进程-py by hand, as nothing else would: alive=false$");
    Matcher orphan = Pattern.compile("守护进程-py: pid (\\d+)").matcher(output);
    assertThat(orphan.find()).isTrue();
    assertThat(ProcessHandle.of(Long.parseLong(orphan.group(1))).filter(ProcessHandle::isAlive))
        .isEmpty();
  }
}
