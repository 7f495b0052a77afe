package io.github.concurrencycourse.netecho.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessPerConnectionLessonTest {

  private static final Pattern CHILDREN =
      Pattern.compile("3 clients, 3 child JVMs: pids (.+), each");

  @Test
  void eachClientIsServedByANewChildJvmThatExitsWhenItLeavesAndTheCountsFollow() throws Exception {
    String printed =
        LessonRun.runLeavingNothingBehind(new ProcessPerConnectionLesson(), Pace.TEST, c -> c);

    assertThat(printed)
        .startsWith("服务器已经启动.... (the parent, pid " + ProcessHandle.current().pid())
        .containsSubsequence(
            "有客户端连接上来了.... connection 1: starting its child JVM\n",
            "client 1 got: HELLO FROM CLIENT 1 (",
            "总的连接数:1,alive的连接数:1\n",
            "有客户端连接上来了.... connection 3: starting its child JVM\n",
            "client 3 got: HELLO FROM CLIENT 3 (",
            "总的连接数:3,alive的连接数:3\n",
            "3 clients, 3 child JVMs: pids ",
            " MiB of memory (resident) for its one connection",
            "client 1 leaves\n",
            "客户端端开... connection 1: child JVM ",
            "总的连接数:3,alive的连接数:2\n",
            "client 3 leaves\n",
            "客户端端开... connection 3: child JVM ",
            "总的连接数:3,alive的连接数:0\n");
    Matcher children = CHILDREN.matcher(printed);
    assertThat(children.find()).isTrue();
    Set<String> pids = List.of(children.group(1).split(", ")).stream().collect(Collectors.toSet());
    assertThat(pids).as("a distinct child JVM per client").hasSize(3);
    for (String pid : pids) {
      assertThat(printed).contains(": child JVM " + pid + " exited\n");
    }
    assertThat(printed).endsWith("总的连接数:3,alive的连接数:0\n");
  }
}
