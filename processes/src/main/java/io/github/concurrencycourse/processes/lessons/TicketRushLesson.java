package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.common.tickets.Purchase;
import io.github.concurrencycourse.common.tickets.TicketStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 互斥锁模拟抢票流程: ten buyer processes, {@code 用户0} to {@code 用户9}, rush for the three tickets of one
 * {@link TicketStore} file, the seed's {@code db.txt}. Each searches (sleeps a second, reads the
 * count), then buys (sleeps a second, reads, thinks three seconds, writes).
 *
 * <p>Run it with {@code ./course run processes.ticket-rush}. You will see ten searches that all
 * find 3 tickets, then exactly three {@code 购票成功!} (tickets 3, 2 and 1) and seven {@code 购票失败!},
 * and a verdict line: 3 sold of 3. The store's lock, a {@code FileLock} held across read, think and
 * write, lets one buyer at a time through, as the seed's {@code mutex} around {@code get(name)}
 * does.
 *
 * <p>With {@code --unsafe} the buyers use {@link TicketStore#buyWithoutLock}: they all read 3
 * during each other's three seconds of thinking, all "buy" ticket 3, and the verdict reports more
 * sales than tickets: the oversell the seed's lock prevents.
 *
 * <p>The store lives in a fresh temporary directory, deleted afterwards. The buyers wait at a start
 * gate until all ten JVMs have started, so that they rush together on every run.
 */
public final class TicketRushLesson implements Lesson {

  /** The seed's {@code {'count': 3}}. */
  static final int TICKETS = 3;

  /** The seed's ten buyers. */
  static final int BUYERS = 10;

  static final String SUCCESS = "购票成功!";
  static final String FAILURE = "购票失败!";

  private static final Pattern SOLD = Pattern.compile(Pattern.quote(SUCCESS) + " ticket (\\d+)");

  @Override
  public String id() {
    return "processes.ticket-rush";
  }

  @Override
  public String title() {
    return "Ten buyer processes, three tickets, one file: exact under the lock (--unsafe: oversold)";
  }

  @Override
  public SeedSection seedSection() {
    return SeedSection.TICKET_RUSH;
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    boolean unsafe = context.hasFlag("--unsafe");
    try (TemporaryDirectory directory = TemporaryDirectory.create("processes-ticket-rush")) {
      Path db = directory.resolve("db.txt");
      TicketStore store = TicketStore.open(db, TICKETS);
      out.println(
          BUYERS
              + " buyers, "
              + TICKETS
              + " tickets in "
              + db.getFileName()
              + (unsafe ? ", --unsafe: no lock" : ", each purchase under the store's lock"));
      List<Integer> sold = rush(context, out, unsafe, db);
      out.println(verdict(sold, store.remaining()));
    }
  }

  /** Compares the sales the buyers report with the tickets there were and the count left. */
  static String verdict(List<Integer> sold, int left) {
    String counts = sold.size() + " sold of " + TICKETS + " tickets, ";
    if (sold.size() > TICKETS) {
      return "verdict: "
          + counts
          + "OVERSOLD by "
          + (sold.size() - TICKETS)
          + ", tickets "
          + sold
          + ", the file says "
          + left
          + " left: buyers read the same count and overwrote each other";
    }
    if (sold.size() + left != TICKETS) {
      return "verdict: " + counts + "but the file says " + left + " left: a sale went missing";
    }
    return "verdict: " + counts + left + " left, tickets " + sold + ": exact";
  }

  /** Runs the buyers and returns the ticket numbers they report sold, in order. */
  private static List<Integer> rush(LessonContext context, PrintStream out, boolean unsafe, Path db)
      throws Exception {
    List<Integer> sold = new ArrayList<>();
    try (LessonChildren children = new LessonChildren(out);
        StartGate gate = StartGate.closed()) {
      for (int i = 0; i < BUYERS; i++) {
        String name = "用户" + i;
        children.track(
            children
                .launcher(name)
                .build()
                .start(
                    Buyer.class,
                    name,
                    LessonChildren.paceArgument(context.pace()),
                    db.toString(),
                    gate.socketPath().toString(),
                    unsafe ? "unsafe" : "locked"));
      }
      gate.openWhenReady(children, BUYERS, LessonChildren.CHILD_TIME);
      children.joinAll();
      for (String line : children.lines()) {
        Matcher matcher = SOLD.matcher(line);
        if (matcher.find()) {
          sold.add(Integer.valueOf(matcher.group(1)));
        }
      }
    }
    return sold;
  }

  /**
   * The seed's {@code task(name, mutex)}, in a child JVM: search, then get. Arguments: name, pace,
   * the store's file, the start gate's socket, and {@code locked} or {@code unsafe}.
   */
  static final class Buyer implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws InterruptedException, IOException {
      String name = arguments.get(0);
      Pace pace = LessonChildren.pace(arguments.get(1));
      // Opened before the gate, so that loading the store's classes does not stagger the rush.
      TicketStore store = TicketStore.open(Path.of(arguments.get(2)), TICKETS);
      boolean unsafe = arguments.get(4).equals("unsafe");
      StartGate.pass(Path.of(arguments.get(3)));

      pace.sleepSeconds(1);
      // The child's standard output is what the parent prints, prefixed with the child's name.
      System.out.println("用户【" + name + "】查到的剩余票数为:" + store.remaining());

      pace.sleepSeconds(1);
      Duration think = pace.seconds(3);
      Purchase purchase = unsafe ? store.buyWithoutLock(name, think) : store.buy(name, think);
      System.out.println(
          purchase.bought() ? name + SUCCESS + " ticket " + purchase.ticket() : name + FAILURE);
    }
  }
}
