package io.github.concurrencycourse.common.tickets;

import static io.github.concurrencycourse.common.launch.ChildProcesses.CHILD_TIME;
import static io.github.concurrencycourse.common.launch.ChildProcesses.SMALL_JVM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.launch.ChildProcesses;
import io.github.concurrencycourse.common.launch.ChildProcesses.Lines;
import io.github.concurrencycourse.common.launch.Contenders;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.common.tickets.BuyerTasks.BuyTickets;
import io.github.concurrencycourse.common.tickets.BuyerTasks.BuyUnderWatch;
import io.github.concurrencycourse.common.tickets.BuyerTasks.BuyUntilKilled;
import io.github.concurrencycourse.common.tickets.BuyerTasks.BuyWithoutLock;
import io.github.concurrencycourse.common.tickets.BuyerTasks.StopBeforeRename;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store shared by child JVMs: no oversell, no double sale, and no damage from SIGKILL. The
 * buyers that race are released by one start signal (see {@link Contenders}), so they contend on
 * every run; the parent watches who is inside the lock, and a control run without the lock shows
 * every buyer inside at once, selling the same ticket.
 */
@Timeout(180)
class TicketStoreProcessTest {

  /** How long the parent keeps a buyer inside the lock, giving any other buyer time to come in. */
  private static final Duration HOLD = Duration.ofMillis(300);

  private static final Pattern SOLD = Pattern.compile("^\\[[^]]+] sold (\\d+)$");
  private static final Pattern BOUGHT = Pattern.compile("^\\[[^]]+] bought (\\d+)$");

  @TempDir Path dir;

  private final ChildProcesses children = new ChildProcesses();
  private final Lines lines = new Lines();
  private final Contenders contenders = new Contenders(lines);

  @AfterEach
  void killEveryChild() {
    contenders.close();
    children.close();
  }

  private Path db() {
    return dir.resolve("db.txt");
  }

  @Test
  void tenProcessesOfAHundredPurchasesSellExactlyFiveHundredTickets() throws Exception {
    TicketStore store = TicketStore.open(db(), 500);

    for (int i = 0; i < 10; i++) {
      contenders.start(
          "用户" + i, BuyTickets.class, List.of(db().toString(), "500", "用户" + i, "1", "100"));
    }
    contenders.startTogether();
    contenders.joinAll(Duration.ofSeconds(90));

    assertThat(sum(BOUGHT)).isEqualTo(500);
    assertThat(numbers(SOLD)).containsExactlyInAnyOrderElementsOf(oneTo(500));
    assertThat(store.remaining()).isZero();
  }

  @Test
  void withFewerTicketsThanBuyersNoTicketIsSoldTwice() throws Exception {
    TicketStore store = TicketStore.open(db(), 50);

    // 4 processes of 3 threads each try 10 times: 120 attempts, in-JVM and cross-process at once.
    for (int i = 0; i < 4; i++) {
      contenders.start(
          "用户" + i, BuyTickets.class, List.of(db().toString(), "50", "用户" + i, "3", "10"));
    }
    contenders.startTogether();
    contenders.joinAll(Duration.ofSeconds(90));

    assertThat(sum(BOUGHT)).isEqualTo(50);
    assertThat(numbers(SOLD))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(oneTo(50));
    assertThat(store.remaining()).isZero();
  }

  @Test
  void noTwoBuyersAreEverInsideTheLockAtOnce() throws Exception {
    TicketStore store = TicketStore.open(db(), 100);
    int buyers = 3;
    int purchases = 2;

    for (int i = 0; i < buyers; i++) {
      contenders.start(
          "用户" + i,
          BuyUnderWatch.class,
          List.of(db().toString(), "用户" + i, String.valueOf(purchases)));
    }
    contenders.startTogether();

    int[] sections = contenders.watchExclusiveSections(buyers * purchases, HOLD);

    assertThat(sections).containsOnly(purchases);
    contenders.joinAll();
    assertThat(numbers(SOLD))
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(95, 100).boxed().toList());
    assertThat(store.remaining()).isEqualTo(100 - buyers * purchases);
  }

  @Test
  void withoutTheLockBuyersAreInsideAtOnceAndSellTheSameTicket() throws Exception {
    TicketStore store = TicketStore.open(db(), 5);
    int buyers = 3;

    for (int i = 0; i < buyers; i++) {
      contenders.start("用户" + i, BuyWithoutLock.class, List.of(db().toString(), "用户" + i));
    }
    contenders.startTogether();

    // Each buyer has read the count and waits to write it back: all are inside at once.
    contenders.awaitEveryChildInsideAtOnce();
    contenders.proceedAll();
    contenders.joinAll();

    assertThat(numbers(SOLD)).as("the ticket each buyer sold").containsOnly(5).hasSize(buyers);
    assertThat(store.remaining()).as("tickets left after %d sales", buyers).isEqualTo(4);
  }

  @Test
  void aBuyerKilledBetweenWriteAndRenameLeavesTheOldFileAndAWorkingStore() throws Exception {
    TicketStore.open(db(), 5);
    byte[] before = Files.readAllBytes(db());

    WorkerProcess doomed = start("doomed", StopBeforeRename.class, db().toString());
    lines.await(Pattern.compile("^\\[doomed] paused$"));
    List<Path> temporary = temporaryFiles();
    assertThat(temporary).hasSize(1);
    assertThat(Files.readString(temporary.get(0))).isEqualTo("{\"count\":4}");

    doomed.toHandle().destroyForcibly();
    assertThat(doomed.join(CHILD_TIME)).isTrue();
    assertThat(doomed.exitCode()).hasValue(137);

    assertThat(Files.readAllBytes(db())).isEqualTo(before);
    TicketStore reopened = TicketStore.open(db(), 0);
    assertThat(temporaryFiles()).as("the killed writer's temporary file is cleaned up").isEmpty();
    assertThat(reopened.remaining()).isEqualTo(5);
    assertThat(reopened.buy("用户0")).isEqualTo(new Purchase("用户0", true, 5, 4));
    assertThat(reopened.remaining()).isEqualTo(4);
  }

  @Test
  void aBuyerKilledAtAnyInstantLeavesAValidFileThatCountsEverySale() throws Exception {
    int initial = 1_000_000;
    TicketStore.open(db(), initial);

    WorkerProcess buyer = start("buyer", BuyUntilKilled.class, db().toString());
    await().atMost(CHILD_TIME).until(() -> numbers(SOLD).size() >= 20);
    buyer.toHandle().destroyForcibly();
    assertThat(buyer.join(CHILD_TIME)).isTrue();

    // A sale is printed after its rename, so the kill may fall between the two: at most one sale
    // is unreported, and none is lost or half-written.
    int reported = numbers(SOLD).size();
    int sold = initial - TicketStore.open(db(), 0).remaining();
    assertThat(sold).isBetween(reported, reported + 1);
    assertThat(numbers(SOLD)).doesNotHaveDuplicates();
  }

  private WorkerProcess start(String name, Class<? extends WorkerTask> task, String... arguments)
      throws IOException {
    WorkerLauncher launcher =
        WorkerLauncher.builder().name(name).jvmOptions(SMALL_JVM).output(lines.output()).build();
    return children.track(launcher.start(task, arguments));
  }

  private List<Integer> numbers(Pattern pattern) {
    List<Integer> numbers = new ArrayList<>();
    for (String line : lines.all()) {
      Matcher matcher = pattern.matcher(line);
      if (matcher.matches()) {
        numbers.add(Integer.parseInt(matcher.group(1)));
      }
    }
    return numbers;
  }

  private int sum(Pattern pattern) {
    return numbers(pattern).stream().mapToInt(Integer::intValue).sum();
  }

  private static List<Integer> oneTo(int n) {
    return IntStream.rangeClosed(1, n).boxed().toList();
  }

  private List<Path> temporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(path -> path.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
