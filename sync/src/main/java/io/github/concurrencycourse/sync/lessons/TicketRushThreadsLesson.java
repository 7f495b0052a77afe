package io.github.concurrencycourse.sync.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.common.tickets.Purchase;
import io.github.concurrencycourse.common.tickets.TicketStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * 互斥锁模拟抢票流程 with threads: ten buyers ({@code 用户0}…{@code 用户9}) rush for the seed's 3 tickets in one
 * {@link TicketStore} file, first without the lock and then with it.
 *
 * <p>Run it with {@code ./course run sync.ticket-rush-threads}. Each buyer searches (sleeps 1 s,
 * reads the count), then buys (sleeps 1 s, reads, thinks 3 s, writes), as the seed's {@code search}
 * and {@code get} do. You will see:
 *
 * <ul>
 *   <li>{@code unsafe}: the buyers read the count while the others are still thinking, so all of
 *       them see a ticket left and all of them "buy" one: far more than 3 tickets are sold.
 *   <li>{@code safe}: {@link TicketStore#buy(String, java.time.Duration)} holds the store's lock
 *       from reading to writing, so exactly 3 buyers succeed and 7 fail.
 * </ul>
 *
 * <p>The process version, {@code processes.ticket-rush}, runs the same story with one buyer per
 * JVM; the store's file lock makes it exact there too. Each run uses a fresh store in a temporary
 * directory that the lesson deletes afterwards.
 */
public final class TicketRushThreadsLesson extends AbstractLesson {

  /** The seed's {@code {'count': 3}}. */
  public static final int TICKETS = 3;

  /** The seed's ten buyers. */
  public static final int BUYERS = 10;

  private static final double SEARCH_SECONDS = 1;
  private static final double GET_SECONDS = 1;
  private static final double THINK_SECONDS = 3;

  public TicketRushThreadsLesson() {
    super(
        "sync.ticket-rush-threads",
        "10 buyer threads, 3 tickets: oversold without the lock, exact with it",
        SeedSection.TICKET_RUSH);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException, IOException {
    PrintStream out = context.out();
    for (boolean locked : List.of(false, true)) {
      out.println(locked ? "--- safe: buy under the store's lock" : "--- unsafe: no lock");
      Path dir = Files.createTempDirectory("ticket-rush-");
      try {
        TicketStore store = TicketStore.open(dir.resolve("db.txt"), TICKETS);
        List<Purchase> purchases = rush(store, locked, context.pace(), out);
        long sold = purchases.stream().filter(Purchase::bought).count();
        out.printf(
            "verdict: %d buyers succeeded for %d tickets, %d left in db.txt: %s%n",
            sold,
            TICKETS,
            store.remaining(),
            sold == TICKETS ? "exact" : "oversold by " + (sold - TICKETS));
      } finally {
        deleteTree(dir);
      }
    }
  }

  /**
   * Runs the seed's rush on {@code store}: {@value #BUYERS} buyer threads search, meet at a start
   * line, then buy, with or without the lock. Returns every buyer's purchase once all are done.
   *
   * @throws InterruptedException if interrupted while waiting; the buyers are stopped first
   */
  public static List<Purchase> rush(TicketStore store, boolean locked, Pace pace, PrintStream out)
      throws InterruptedException {
    ConcurrentLinkedQueue<Purchase> purchases = new ConcurrentLinkedQueue<>();
    // The seed's processes start together; a latch keeps that true on a busy machine.
    CountDownLatch startTogether = new CountDownLatch(1);
    List<Thread> buyers = new ArrayList<>(BUYERS);
    try {
      for (int i = 0; i < BUYERS; i++) {
        String name = "用户" + i;
        buyers.add(
            Thread.ofPlatform()
                .name("buyer-" + i)
                .start(
                    () -> {
                      try {
                        startTogether.await();
                        pace.sleepSeconds(SEARCH_SECONDS);
                        out.printf("用户【%s】查到的剩余票数为:%s%n", name, store.remaining());
                        pace.sleepSeconds(GET_SECONDS);
                        Purchase purchase =
                            locked
                                ? store.buy(name, pace.seconds(THINK_SECONDS))
                                : store.buyWithoutLock(name, pace.seconds(THINK_SECONDS));
                        out.println(name + (purchase.bought() ? "购票成功!" : "购票失败!"));
                        purchases.add(purchase);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
      }
      startTogether.countDown();
      for (Thread buyer : buyers) {
        buyer.join();
      }
    } finally {
      LessonThreads.stopAll(buyers);
    }
    return List.copyOf(purchases);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
