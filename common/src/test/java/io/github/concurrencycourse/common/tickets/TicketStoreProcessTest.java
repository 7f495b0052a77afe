package io.github.concurrencycourse.common.tickets;

import static io.github.concurrencycourse.common.launch.ChildProcesses.CHILD_TIME;
import static io.github.concurrencycourse.common.launch.ChildProcesses.SMALL_JVM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.concurrencycourse.common.launch.ChildProcesses;
import io.github.concurrencycourse.common.launch.ChildProcesses.Lines;
import io.github.concurrencycourse.common.launch.WorkerLauncher;
import io.github.concurrencycourse.common.launch.WorkerProcess;
import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.common.tickets.BuyerTasks.BuyTickets;
import io.github.concurrencycourse.common.tickets.BuyerTasks.BuyUntilKilled;
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

/** The store shared by child JVMs: no oversell, no double sale, and no damage from SIGKILL. */
@Timeout(180)
class TicketStoreProcessTest {

  private static final Pattern SOLD = Pattern.compile("^\\[[^]]+] sold (\\d+)$");
  private static final Pattern BOUGHT = Pattern.compile("^\\[[^]]+] bought (\\d+)$");

  @TempDir Path dir;

  private final ChildProcesses children = new ChildProcesses();
  private final Lines lines = new Lines();

  @AfterEach
  void killEveryChild() {
    children.close();
  }

  private Path db() {
    return dir.resolve("db.txt");
  }

  @Test
  void tenProcessesOfAHundredPurchasesSellExactlyFiveHundredTickets() throws Exception {
    TicketStore store = TicketStore.open(db(), 500);

    List<WorkerProcess> buyers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      buyers.add(start("用户" + i, BuyTickets.class, db().toString(), "500", "用户" + i, "1", "100"));
    }
    awaitSuccess(buyers);

    assertThat(sum(BOUGHT)).isEqualTo(500);
    assertThat(numbers(SOLD)).containsExactlyInAnyOrderElementsOf(oneTo(500));
    assertThat(store.remaining()).isZero();
  }

  @Test
  void withFewerTicketsThanBuyersNoTicketIsSoldTwice() throws Exception {
    TicketStore store = TicketStore.open(db(), 50);

    // 4 processes of 3 threads each try 10 times: 120 attempts, in-JVM and cross-process at once.
    List<WorkerProcess> buyers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      buyers.add(start("用户" + i, BuyTickets.class, db().toString(), "50", "用户" + i, "3", "10"));
    }
    awaitSuccess(buyers);

    assertThat(sum(BOUGHT)).isEqualTo(50);
    assertThat(numbers(SOLD))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(oneTo(50));
    assertThat(store.remaining()).isZero();
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

  private static void awaitSuccess(List<WorkerProcess> workers) throws InterruptedException {
    for (WorkerProcess worker : workers) {
      assertThat(worker.join(Duration.ofSeconds(90))).as("%s finished", worker).isTrue();
      assertThat(worker.exitCode())
          .as("%s exit code; failure: %s", worker, worker.failure())
          .hasValue(0);
    }
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
