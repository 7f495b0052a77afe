package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.tickets.Purchase;
import io.github.concurrencycourse.common.tickets.TicketStore;
import io.github.concurrencycourse.testkit.LessonRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class TicketRushThreadsLessonTest {

  private final PrintStream quiet =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @TempDir Path dir;

  @Test
  void withoutTheLockMoreTicketsAreSoldThanExist() throws InterruptedException {
    TicketStore store = TicketStore.open(dir.resolve("db.txt"), TicketRushThreadsLesson.TICKETS);

    List<Purchase> purchases = TicketRushThreadsLesson.rush(store, false, Pace.TEST, quiet);

    // Forbidden for a correct store, and certain here: all buyers read before any writes back.
    assertThat(purchases).hasSize(TicketRushThreadsLesson.BUYERS);
    assertThat(purchases.stream().filter(Purchase::bought).count())
        .isGreaterThan(TicketRushThreadsLesson.TICKETS);
  }

  @Test
  void withTheLockExactlyThreeBuyersSucceedEachWithADifferentTicket() throws InterruptedException {
    for (int run = 0; run < 5; run++) {
      TicketStore store =
          TicketStore.open(dir.resolve("db-" + run + ".txt"), TicketRushThreadsLesson.TICKETS);

      List<Purchase> purchases = TicketRushThreadsLesson.rush(store, true, new Pace(0.005), quiet);

      assertThat(purchases).hasSize(TicketRushThreadsLesson.BUYERS);
      assertThat(purchases.stream().filter(Purchase::bought).map(Purchase::ticket))
          .as("run %d", run)
          .containsExactlyInAnyOrder(1, 2, 3);
      assertThat(store.remaining()).isZero();
    }
  }

  @Test
  void theLessonShowsTheOversellThenTheExactSale() throws Exception {
    String output = LessonRun.run(new TicketRushThreadsLesson(), Pace.TEST);

    assertThat(output)
        .containsSubsequence(
            "--- unsafe: no lock",
            "verdict: ",
            "oversold by",
            "--- safe: buy under the store's lock",
            "verdict: 3 buyers succeeded for 3 tickets, 0 left in db.txt: exact")
        .contains("用户【用户0】查到的剩余票数为:3")
        .contains("购票失败!");
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("buyer-"));
  }
}
