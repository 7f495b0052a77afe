package io.github.concurrencycourse.netecho.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PoolServerLessonTest {

  @Test
  void theFourthClientIsAnsweredOnlyAfterClientOneLeaves() throws Exception {
    String printed = LessonRun.run(new PoolServerLesson(), Pace.TEST, c -> c.withInput(""));

    assertThat(printed)
        .startsWith("服务器已经启动.... (3 workers, listening on ")
        .contains(
            "client 1 >>: hello from client 1\nclient 1 <<: HELLO FROM CLIENT 1\n",
            "client 3 <<: HELLO FROM CLIENT 3\n")
        .containsSubsequence(
            "client 4 connected; 总的连接数:4,alive的连接数:4\n",
            "client 4 >>: hello from client 4\n",
            "client 4: no reply yet — all 3 workers are busy with clients 1 to 3\n",
            "client 1 leaves\n",
            "client 4 <<: HELLO FROM CLIENT 4\n",
            "总的连接数:4,alive的连接数:3\n")
        .doesNotContain("not limiting");
  }
}
