package io.github.concurrencycourse.queues.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProducerConsumerLessonTest {

  private static final List<String> ALL_FOOD =
      QueueLessonCast.FOODS.stream()
          .flatMap(food -> IntStream.range(0, 10).mapToObj(i -> food + i))
          .toList();

  @Test
  @Timeout(10)
  void everyItemIsEatenExactlyOnceAndBothConsumersStop() throws Exception {
    LessonRun output = new LessonRun(Pace.TEST);
    ProducerConsumerLesson.Meal meal = new ProducerConsumerLesson().serve(output.context());

    List<String> eaten = meal.eatenBy().values().stream().flatMap(List::stream).toList();
    assertThat(eaten).containsExactlyInAnyOrderElementsOf(ALL_FOOD);
    assertThat(meal.eatenBy()).containsOnlyKeys("吃货1号", "吃货2号");
    assertThat(meal.leftInQueue()).isZero();
    // Each producer's items are eaten in the order it made them, whoever eats them.
    for (String food : QueueLessonCast.FOODS) {
      assertThat(meal.eatenBy().values())
          .allSatisfy(
              list ->
                  assertThat(list.stream().filter(e -> e.startsWith(food)).toList())
                      .isSortedAccordingTo(
                          (a, b) ->
                              Integer.compare(
                                  Integer.parseInt(a.substring(food.length())),
                                  Integer.parseInt(b.substring(food.length())))));
    }
  }

  @Test
  @Timeout(10)
  void printsTheSeedsLinesAndEndsEachConsumerAfterTheFood() throws Exception {
    LessonRun output = new LessonRun(Pace.TEST);
    new ProducerConsumerLesson().run(output.context());
    List<String> lines = output.lines();
    assertThat(lines.stream().filter(l -> l.startsWith("生产者["))).hasSize(30);
    assertThat(lines).contains("生产者[1号]生产了[苹果][0]号", "生产者[3号]生产了[牛奶][9]号");
    List<String> eatenLines = lines.stream().filter(l -> l.startsWith("消费者[")).toList();
    assertThat(eatenLines).hasSize(30);
    assertThat(eatenLines.stream().map(l -> l.replaceAll(".*吃了\\[(.*)]", "$1")))
        .containsExactlyInAnyOrderElementsOf(ALL_FOOD);
    assertThat(lines).containsOnlyOnce("main process");
    assertThat(lines.stream().filter("数据处理完毕,准备结束!"::equals)).hasSize(2);
    int lastEaten = lines.lastIndexOf(eatenLines.getLast());
    assertThat(lines.subList(lastEaten + 1, lines.size())).contains("数据处理完毕,准备结束!", "数据处理完毕,准备结束!");
  }
}
