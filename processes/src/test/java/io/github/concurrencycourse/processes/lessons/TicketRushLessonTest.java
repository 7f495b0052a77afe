package io.github.concurrencycourse.processes.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.tickets.TicketStore;
import io.github.concurrencycourse.common.tickets.TicketStoreException;
import io.github.concurrencycourse.testkit.LessonRun;
import io.github.concurrencycourse.testkit.ThreadSnapshot;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(240)
class TicketRushLessonTest {

  @Test
  void underTheLockExactlyThreeBuyersSucceedAndAKeptStoreSellsNothingTheSecondTime(
      @TempDir Path directory) throws Exception {
    Path db = directory.resolve("db.txt");
    String output =
        LessonRun.runLeavingNothingBehind(
            new TicketRushLesson(),
            Pace.TEST,
            c -> c.withArguments(List.of("--db", db.toString())));

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
        .contains("ticket 3")
        .contains(db + " is kept with 0 tickets left");
    assertThat(TicketStore.open(db, 3).remaining()).as("the kept store").isZero();

    // The seed's db.txt outlives its run: the next ten buyers find it empty.
    String again =
        LessonRun.runLeavingNothingBehind(
            new TicketRushLesson(),
            Pace.TEST,
            c -> c.withArguments(List.of("--db", db.toString())));

    assertThat(again).contains("10 buyers, 0 tickets in " + db);
    for (String buyer : buyers) {
      assertThat(LessonRun.linesOfChild(again, buyer))
          .as(buyer)
          .containsExactly("用户【" + buyer + "】查到的剩余票数为:0", buyer + "购票失败!");
    }
    assertThat(again)
        .containsPattern("(?m)^verdict: 0 sold of 0 tickets, 0 left, tickets \\[\\]: exact$");
  }

  @Test
  void aCorruptStoreIsReportedAndLeftAsItIs(@TempDir Path directory) throws Exception {
    Path db = directory.resolve("db.txt");
    byte[] corrupt = "{\"count\": ".getBytes(StandardCharsets.UTF_8);
    Files.write(db, corrupt);
    ThreadSnapshot before = ThreadSnapshot.take();

    assertThatThrownBy(() -> runQuietly("--db", db.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--db " + db + ": is not valid JSON")
        .hasMessageEndingWith("; the file is left as it is")
        .hasCauseInstanceOf(TicketStoreException.class);
    assertThat(Files.readAllBytes(db)).isEqualTo(corrupt);
    assertThat(before.startedSince()).as("no buyer started").isEmpty();
  }

  @Test
  void dbWithoutAFileIsAClearError() {
    for (List<String> arguments : List.of(List.of("--db"), List.of("--db", "--unsafe"))) {
      assertThatThrownBy(() -> runQuietly(arguments.toArray(String[]::new)))
          .as("%s", arguments)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--db needs a file, for example --db db.txt");
    }
  }

  @Test
  void theVerdictTellsExactFromOversoldFromLost() {
    assertThat(TicketRushLesson.verdict(List.of(3, 2, 1), 3, 0))
        .isEqualTo("verdict: 3 sold of 3 tickets, 0 left, tickets [3, 2, 1]: exact");
    assertThat(TicketRushLesson.verdict(List.of(3, 3, 3, 3), 3, 2))
        .startsWith("verdict: 4 sold of 3 tickets, OVERSOLD by 1, tickets [3, 3, 3, 3]");
    assertThat(TicketRushLesson.verdict(List.of(3, 3), 3, 2)).endsWith("a sale went missing");
    assertThat(TicketRushLesson.verdict(List.of(), 0, 0))
        .isEqualTo("verdict: 0 sold of 0 tickets, 0 left, tickets []: exact");
    assertThat(TicketRushLesson.verdict(List.of(1), 0, 0)).contains("OVERSOLD by 1");
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

  /** Runs the lesson at the test pace with {@code arguments}, discarding what it prints. */
  private static void runQuietly(String... arguments) throws Exception {
    new TicketRushLesson()
        .run(
            LessonContext.of(new PrintStream(OutputStream.nullOutputStream()), Pace.TEST)
                .withArguments(List.of(arguments)));
  }
}
