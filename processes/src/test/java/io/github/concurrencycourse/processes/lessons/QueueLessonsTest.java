package io.github.concurrencycourse.processes.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The two queue lessons, run as the launcher runs them, at the test pace. */
@Timeout(120)
class QueueLessonsTest {

  private static final Pattern EATEN = Pattern.compile("^\\[(吃货[12]号)] 消费者\\[\\1]吃了\\[(.+)]$");

  @Test
  void producerConsumerEatsEveryFoodExactlyOnceAndEachConsumerSeesItsEndMark() throws Exception {
    Run run = run(new ProducerConsumerLesson());

    assertThat(eaten(run.lines())).containsExactlyInAnyOrderElementsOf(allFoods());
    assertThat(run.lines())
        .contains("[1号] 生产者[1号]生产了[苹果][0]号", "[3号] 生产者[3号]生产了[牛奶][9]号")
        .contains("[吃货1号] 数据处理完毕,准备结束!", "[吃货2号] 数据处理完毕,准备结束!")
        .contains("main process")
        .endsWith("items left in the queue: 0");
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
  }

  @Test
  void joinableQueueLetsTheProducersEndOnlyWhenEveryFoodIsAcknowledged() throws Exception {
    Run run = run(new JoinableQueueLesson());

    assertThat(run.lines()).contains("main process").endsWith("unfinished tasks: 0");
    assertThat(eaten(run.lines())).containsExactlyInAnyOrderElementsOf(allFoods());
    assertThat(run.lines()).noneMatch(line -> line.contains("数据处理完毕"));
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
  }

  /** What a lesson printed. */
  private record Run(List<String> lines) {}

  /**
   * Runs a lesson as the launcher does. Its wall time is not asserted: on a shared machine it
   * measures the load (five JVMs start), and the README records it instead.
   */
  private static Run run(Lesson lesson) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      lesson.run(LessonContext.of(out, Pace.TEST));
    }
    return new Run(bytes.toString(StandardCharsets.UTF_8).lines().toList());
  }

  private static List<String> eaten(List<String> lines) {
    List<String> foods = new ArrayList<>();
    for (String line : lines) {
      Matcher matcher = EATEN.matcher(line);
      if (matcher.matches()) {
        foods.add(matcher.group(2));
      }
    }
    return foods;
  }

  private static List<String> allFoods() {
    List<String> foods = new ArrayList<>();
    for (ProcessQueueLessonCast.Producer producer : ProcessQueueLessonCast.PRODUCERS) {
      for (int i = 0; i < ProcessQueueLessonCast.FOODS_PER_PRODUCER; i++) {
        foods.add(producer.food() + i);
      }
    }
    return foods;
  }
}
