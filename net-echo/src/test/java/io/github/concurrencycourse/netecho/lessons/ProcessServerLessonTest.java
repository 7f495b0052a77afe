package io.github.concurrencycourse.netecho.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProcessServerLessonTest {

  @Test
  void servesFourClientsSurvivesAKilledWorkerAndCountsLikeTheSeed() throws Exception {
    String printed = LessonRun.run(new ProcessServerLesson(), Pace.TEST, c -> c.withInput(""));

    assertThat(printed)
        .startsWith("服务器已经启动.... (2 worker JVMs share ")
        .containsSubsequence(
            "有客户端连接上来了.... client 1 got: HELLO FROM CLIENT 1\n",
            "总的连接数:1,alive的连接数:1\n",
            "有客户端连接上来了.... client 4 got: HELLO FROM CLIENT 4\n",
            "总的连接数:4,alive的连接数:4\n",
            "kill -9 ",
            " died (exit code 137); the parent starts a new one\n",
            "the parent restarted it: 2 workers listen\n",
            "client 5 got: HELLO FROM CLIENT 5\n",
            " of 4 clients kept their sessions",
            "客户端端开...\n");
    assertThat(printed).endsWith("总的连接数:5,alive的连接数:0\n");
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
  }
}
