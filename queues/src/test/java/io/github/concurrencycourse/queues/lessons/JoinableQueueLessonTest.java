package io.github.concurrencycourse.queues.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JoinableQueueLessonTest {

  @Test
  @Timeout(10)
  void eachProducersJoinReturnsOnlyOnceEveryItemIsEaten() throws Exception {
    LessonRun output = new LessonRun(Pace.TEST);
    JoinableQueueLesson.Report report = new JoinableQueueLesson().serve(output.context());
    assertThat(report.eaten()).isEqualTo(30);
    assertThat(report.eatenWhenJoined()).containsOnlyKeys("1号", "2号", "3号");
    assertThat(report.eatenWhenJoined().values()).containsOnly(30);
    assertThat(report.unfinishedWhenJoined().values()).containsOnly(0L);
  }

  @Test
  @Timeout(10)
  void printsMainProcessAfterEveryItemAndStopsItsConsumers() throws Exception {
    LessonRun output = new LessonRun(Pace.TEST);
    new JoinableQueueLesson().run(output.context());
    List<String> lines = output.lines();
    assertThat(lines.stream().filter(l -> l.startsWith("消费者["))).hasSize(30);
    assertThat(lines.getLast()).isEqualTo("main process");
    assertThat(lines.stream().filter(l -> l.contains("join() returned, unfinished tasks 0")))
        .hasSize(3);
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("consumer-吃货"));
  }
}
