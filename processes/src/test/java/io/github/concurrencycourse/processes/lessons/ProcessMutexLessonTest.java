package io.github.concurrencycourse.processes.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ProcessMutexLessonTest {

  private static final Pattern COUNT = Pattern.compile("^\\[(进程\\d)] \\1 ([123])$");

  @Test
  void underTheLockEachProcessCountsToThreeWithoutInterruption() throws Exception {
    List<String[]> counts =
        counts(LessonRun.runLeavingNothingBehind(new ProcessMutexLesson(), Pace.TEST, c -> c));

    assertThat(counts).hasSize(9);
    // Allowed: blocks of "name 1, name 2, name 3", in any order of names. Forbidden: anything else.
    List<String> names = new ArrayList<>();
    for (int block = 0; block < 3; block++) {
      String name = counts.get(block * 3)[0];
      names.add(name);
      for (int k = 0; k < 3; k++) {
        assertThat(counts.get(block * 3 + k)).containsExactly(name, String.valueOf(k + 1));
      }
    }
    assertThat(names).containsExactlyInAnyOrder("进程0", "进程1", "进程2");
  }

  @Test
  void withoutTheLockTheProcessesInterleave() throws Exception {
    // A slower pace than the lesson's default widens each process's count to 2 x 100 ms, while the
    // start gate releases the three within milliseconds of each other.
    List<String[]> counts =
        counts(
            LessonRun.runLeavingNothingBehind(
                new ProcessMutexLesson(),
                new Pace(0.1),
                c -> c.withArguments(List.of("--unsafe"))));

    assertThat(counts).hasSize(9);
    assertThat(contiguousProcesses(counts)).isLessThan(3);
    // Each process still counts in order; only the processes mix.
    for (String name : List.of("进程0", "进程1", "进程2")) {
      assertThat(counts.stream().filter(c -> c[0].equals(name)).map(c -> c[1]))
          .containsExactly("1", "2", "3");
    }
  }

  private static List<String[]> counts(String output) {
    List<String[]> counts = new ArrayList<>();
    for (String line : output.lines().toList()) {
      Matcher matcher = COUNT.matcher(line);
      if (matcher.matches()) {
        counts.add(new String[] {matcher.group(1), matcher.group(2)});
      }
    }
    return counts;
  }

  /** How many processes printed their three lines one after another, with no other between. */
  private static long contiguousProcesses(List<String[]> counts) {
    return List.of("进程0", "进程1", "进程2").stream()
        .filter(
            name -> {
              int first = -1;
              for (int i = 0; i < counts.size(); i++) {
                if (counts.get(i)[0].equals(name)) {
                  first = i;
                  break;
                }
              }
              return first >= 0
                  && first + 2 < counts.size()
                  && counts.get(first + 1)[0].equals(name)
                  && counts.get(first + 2)[0].equals(name);
            })
        .count();
  }
}
