package io.github.concurrencycourse.common.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The store within one JVM: format, validation, and atomicity across threads. */
@Timeout(60)
class TicketStoreTest {

  @TempDir Path dir;

  private Path db() {
    return dir.resolve("db.txt");
  }

  @Test
  void createsTheSeedsFileWhenAbsent() throws Exception {
    TicketStore store = TicketStore.open(db(), 3);

    assertThat(store.remaining()).isEqualTo(3);
    assertThat(Files.readString(db())).isEqualTo("{\"count\":3}");
    assertThat(dir.resolve("db.txt.lock")).exists();
    assertThat(store.file()).isEqualTo(db().toAbsolutePath());
  }

  @Test
  void anExistingFileKeepsItsCountAndItsOtherFields() throws Exception {
    Files.writeString(db(), "{\"event\": \"演唱会\", \"count\": 2, \"price\": 9.5, \"rows\": [1, 2]}");

    TicketStore store = TicketStore.open(db(), 100);
    assertThat(store.remaining()).isEqualTo(2);
    store.buy("用户0");

    assertThat(Files.readString(db(), StandardCharsets.UTF_8))
        .isEqualTo("{\"event\":\"演唱会\",\"count\":1,\"price\":9.5,\"rows\":[1,2]}");
  }

  @Test
  void sellsEachTicketOnceThenReportsSoldOut() throws Exception {
    TicketStore store = TicketStore.open(db(), 3);

    assertThat(store.buy("用户0")).isEqualTo(new Purchase("用户0", true, 3, 2));
    assertThat(store.buy("用户1")).isEqualTo(new Purchase("用户1", true, 2, 1));
    assertThat(store.buy("用户2", Duration.ofMillis(1))).isEqualTo(new Purchase("用户2", true, 1, 0));
    assertThat(store.buy("用户3")).isEqualTo(new Purchase("用户3", false, 0, 0));
    assertThat(store.remaining()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "{\"count\": 3",
        "{\"count\": 3}{\"count\": 4}",
        "{\"count\": 3} garbage",
        "[3]",
        "3",
        "null",
        "\"count\"",
        "{\"tickets\": 3}",
        "{\"count\": -1}",
        "{\"count\": 2.5}",
        "{\"count\": \"3\"}",
        "{\"count\": null}",
        "{\"count\": 99999999999}"
      })
  void aCorruptFileIsReportedWithItsNameAndLeftUntouched(String content) throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Files.write(db(), bytes);

    assertThatThrownBy(() -> TicketStore.open(db(), 3))
        .isInstanceOf(TicketStoreException.class)
        .hasMessageStartingWith(db().toAbsolutePath() + ": ")
        .satisfies(
            e -> assertThat(((TicketStoreException) e).file()).isEqualTo(db().toAbsolutePath()));

    assertThat(Files.readAllBytes(db())).isEqualTo(bytes);
  }

  @Test
  void aFileThatGoesBadAfterOpeningIsReportedAndNeverOverwritten() throws Exception {
    TicketStore store = TicketStore.open(db(), 3);
    byte[] truncated = "{\"cou".getBytes(StandardCharsets.US_ASCII);
    Files.write(db(), truncated);

    assertThatThrownBy(() -> store.buy("用户0"))
        .isInstanceOf(TicketStoreException.class)
        .hasMessageContaining("db.txt")
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(store::remaining).isInstanceOf(TicketStoreException.class);
    assertThatThrownBy(() -> store.buyWithoutLock("用户1", Duration.ZERO))
        .isInstanceOf(TicketStoreException.class);
    assertThat(Files.readAllBytes(db())).isEqualTo(truncated);
  }

  @Test
  void threadsOnTwoStoresOfTheSameFileNeverSellATicketTwice() throws Exception {
    TicketStore first = TicketStore.open(db(), 100);
    TicketStore second = TicketStore.open(dir.resolve(".").resolve("db.txt"), 100);
    Set<Integer> sold = ConcurrentHashMap.newKeySet();
    List<Integer> duplicates = new ArrayList<>();
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> bought = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        TicketStore store = t % 2 == 0 ? first : second;
        String buyer = "用户" + t;
        bought.add(
            pool.submit(
                () -> {
                  start.await();
                  int count = 0;
                  for (int i = 0; i < 20; i++) {
                    Purchase purchase = store.buy(buyer);
                    if (purchase.bought()) {
                      count++;
                      if (!sold.add(purchase.ticket())) {
                        synchronized (duplicates) {
                          duplicates.add(purchase.ticket());
                        }
                      }
                    }
                  }
                  return count;
                }));
      }
      int total = 0;
      for (Future<Integer> f : bought) {
        total += f.get(30, TimeUnit.SECONDS);
      }

      assertThat(total).isEqualTo(100);
      synchronized (duplicates) {
        assertThat(duplicates).isEmpty();
      }
      assertThat(sold)
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 100).boxed().toList());
      assertThat(first.remaining()).isZero();
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void withoutTheLockBuyersWhoThinkTogetherOversell() throws Exception {
    TicketStore store = TicketStore.open(db(), 3);
    int buyers = 10;
    // Every buyer reads the count, then waits at the barrier until all have read it: the widest
    // possible window, opened deterministically instead of by sleeping and hoping.
    CyclicBarrier allHaveRead = new CyclicBarrier(buyers);

    List<Purchase> results =
        rush(buyers, buyer -> store.buyWithoutLock(buyer, () -> awaitBarrier(allHaveRead)));

    assertThat(results).allSatisfy(p -> assertThat(p.bought()).isTrue());
    assertThat(results).extracting(Purchase::ticket).containsOnly(3);
    assertThat(store.remaining()).isEqualTo(2);
  }

  @Test
  void withTheLockTheSameRushSellsExactlyTheTickets() throws Exception {
    TicketStore store = TicketStore.open(db(), 3);
    int buyers = 10;
    CyclicBarrier start = new CyclicBarrier(buyers);

    List<Purchase> results =
        rush(
            buyers,
            buyer -> {
              start.await();
              return store.buy(buyer, Duration.ofMillis(5));
            });

    assertThat(results)
        .filteredOn(Purchase::bought)
        .extracting(Purchase::ticket)
        .containsExactlyInAnyOrder(1, 2, 3);
    assertThat(store.remaining()).isZero();
  }

  @Test
  void theUnsafeModeStillSellsOnlyWhatItReads() throws Exception {
    TicketStore store = TicketStore.open(db(), 1);

    assertThat(store.buyWithoutLock("用户0", Duration.ofMillis(1)).bought()).isTrue();
    assertThat(store.buyWithoutLock("用户1", Duration.ZERO).bought()).isFalse();
  }

  @Test
  void anInterruptedBuyerBuysNothing() throws Exception {
    TicketStore store = TicketStore.open(db(), 3);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> store.buy("用户0")).isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }
    assertThat(store.remaining()).isEqualTo(3);
    assertThat(store.buy("用户1").ticket()).isEqualTo(3);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> TicketStore.open(db(), -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TicketStore.open(dir.resolve("missing").resolve("db.txt"), 3))
        .isInstanceOf(TicketStoreException.class)
        .hasMessageContaining("directory does not exist");
  }

  /** One purchase by the named buyer, made in a rush's thread. */
  private interface BuyerAction {
    Purchase buy(String buyer) throws Exception;
  }

  /**
   * Runs buyers 用户0, 用户1, … each in a thread of its own, at once, and returns their purchases in
   * buyer order.
   */
  private static List<Purchase> rush(int buyers, BuyerAction action) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(buyers);
    try {
      List<Future<Purchase>> purchases = new ArrayList<>();
      for (int i = 0; i < buyers; i++) {
        String buyer = "用户" + i;
        purchases.add(pool.submit(() -> action.buy(buyer)));
      }
      List<Purchase> results = new ArrayList<>();
      for (Future<Purchase> f : purchases) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static void awaitBarrier(CyclicBarrier barrier) throws InterruptedException {
    try {
      barrier.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.BrokenBarrierException
        | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the buyers never all read the count", e);
    }
  }
}
