package io.github.concurrencycourse.processes.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(240)
class TicketRushLessonTest {

  @Test
  void underTheLockExactlyThreeBuyersSucceedEachWithADifferentTicket() throws Exception {
    String output = LessonRun.runLeavingNothingBehind(new TicketRushLesson(), Pace.TEST, c -> c);

    List<String> buyers = IntStream.range(0, 10).mapToObj(i -> "用户" + i).toList();
    long successes = 0;
    for (String buyer : buyers) {
      List<String> lines = LessonRun.linesOfChild(output, buyer);
      assertThat(lines).as(buyer).hasSize(2);
      assertThat(lines.get(0)).startsWith("用户【" + buyer + "】查到的剩余票数为:");
      assertThat(lines.get(1)).matches(buyer + "(购票成功! ticket [123]|购票失败!)");
      successes += lines.get(1).contains("购票成功!") ? 1 : 0;
    }
    assertThat(successes).isEqualTo(3);
    assertThat(output)
        .containsPattern(
            "(?m)^verdict: 3 sold of 3 tickets, 0 left, tickets \\[[123], [123], [123]\\]: exact$")
        .contains("ticket 1")
        .contains("ticket 2")
        .contains("ticket 3");
  }

  @Test
  void theVerdictTellsExactFromOversoldFromLost() {
    assertThat(TicketRushLesson.verdict(List.of(3, 2, 1), 0))
        .isEqualTo("verdict: 3 sold of 3 tickets, 0 left, tickets [3, 2, 1]: exact");
    assertThat(TicketRushLesson.verdict(List.of(3, 3, 3, 3), 2))
        .startsWith("verdict: 4 sold of 3 tickets, OVERSOLD by 1, tickets [3, 3, 3, 3]");
    assertThat(TicketRushLesson.verdict(List.of(3, 3), 2)).endsWith("a sale went missing");
  }

  @Test
  void withoutTheLockTicketsAreOversold() throws Exception {
    // The lesson's own pace at twice the speed still leaves every buyer 3 x 40 ms of thinking,
    // during which the others, released together at the start gate, read the same count.
    String output =
        LessonRun.runLeavingNothingBehind(
            new TicketRushLesson(), new Pace(0.04), c -> c.withArguments(List.of("--unsafe")));

    long successes = output.lines().filter(l -> l.contains("购票成功!")).count();
    assertThat(successes).as(output).isGreaterThan(3);
    assertThat(output).containsPattern("(?m)^verdict: \\d+ sold of 3 tickets, OVERSOLD by \\d+");
  }
}
