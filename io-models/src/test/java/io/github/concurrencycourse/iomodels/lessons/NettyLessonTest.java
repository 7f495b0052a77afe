package io.github.concurrencycourse.iomodels.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.iomodels.NettyTransport;
import io.github.concurrencycourse.testkit.LessonRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NettyLessonTest {

  @Test
  void everyTransportServesTheClientsOrSaysWhatRunsInstead() throws Exception {
    String output = LessonRun.run(new NettyLesson(), Pace.TEST);

    assertThat(output).contains("[netty-nio] available");
    for (NettyTransport transport : NettyTransport.values()) {
      String prefix = "[netty-" + transport.id() + "] ";
      assertThat(output)
          .contains(prefix + (transport.isAvailable() ? "available" : "not available here"))
          .contains(prefix + "CLIENT 3 客户端")
          .contains(prefix + "live connections: 3");
    }
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("netty-echo"));
  }
}
