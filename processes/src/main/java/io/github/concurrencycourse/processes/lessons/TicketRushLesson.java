package io.github.concurrencycourse.processes.lessons;

import io.github.concurrencycourse.common.launch.WorkerTask;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.common.tickets.Purchase;
import io.github.concurrencycourse.common.tickets.TicketStore;
import io.github.concurrencycourse.common.tickets.TicketStoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * <p>The store lives in a fresh temporary directory, deleted afterwards. With {@code --db PATH} it
 * lives in {@code PATH} instead, created with three tickets if missing and kept afterwards, as the
 * seed's {@code db.txt} is: a second run finds no ticket left and every buyer fails, until the file
 * is deleted. A file that is not a valid store is reported and left as it is. The buyers wait at a
 * start gate until all ten JVMs have started, so that they rush together on every run.
 */
public final class TicketRushLesson extends AbstractLesson {

  /** The seed's {@code {'count': 3}}. */
  static final int TICKETS = 3;

  /** The seed's ten buyers. */
  static final int BUYERS = 10;

  static final String SUCCESS = "购票成功!";
  static final String FAILURE = "购票失败!";

  /** The argument that names a store file kept between runs. */
  static final String DB_ARGUMENT = "--db";

  private static final Pattern SOLD = Pattern.compile(Pattern.quote(SUCCESS) + " ticket (\\d+)");

  public TicketRushLesson() {
    super(
        "processes.ticket-rush",
        "Ten buyer processes, three tickets, one file: exact under the lock (--unsafe: oversold)",
        SeedSection.TICKET_RUSH);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    boolean unsafe = context.hasFlag("--unsafe");
    Optional<Path> kept = keptStore(context);
    try (TemporaryDirectory directory = TemporaryDirectory.create("processes-ticket-rush")) {
      Path db = kept.orElse(directory.resolve("db.txt"));
      TicketStore store = open(db);
      int before = store.remaining();
      out.println(
          BUYERS
              + " buyers, "
              + before
              + " tickets in "
              + (kept.isPresent() ? db : db.getFileName())
              + (unsafe ? ", --unsafe: no lock" : ", each purchase under the store's lock"));
      List<Integer> sold = rush(context, out, unsafe, db);
      int left = store.remaining();
      out.println(verdict(sold, before, left));
      if (kept.isPresent()) {
        out.println(
            db
                + " is kept with "
                + left
                + " tickets left: the next run starts from there, as the seed's db.txt does");
      }
    }
  }

  /** The file that {@code --db PATH} names, absolute; empty without {@code --db}. */
  private static Optional<Path> keptStore(LessonContext context) {
    int at = context.arguments().indexOf(DB_ARGUMENT);
    if (at < 0) {
      return Optional.empty();
    }
    if (at + 1 >= context.arguments().size() || context.arguments().get(at + 1).startsWith("--")) {
      throw new IllegalArgumentException(
          DB_ARGUMENT + " needs a file, for example " + DB_ARGUMENT + " db.txt");
    }
    return Optional.of(Path.of(context.arguments().get(at + 1)).toAbsolutePath().normalize());
  }

  /**
   * Opens the store, creating it with {@link #TICKETS} tickets if missing.
   *
   * @throws IllegalArgumentException if the file is not a valid store; it is left as it is
   */
  private static TicketStore open(Path db) throws InterruptedException {
    try {
      return TicketStore.open(db, TICKETS);
    } catch (TicketStoreException e) {
      // The exception's message starts with the file's path.
      throw new IllegalArgumentException(
          DB_ARGUMENT + " " + e.getMessage() + "; the file is left as it is", e);
    }
  }

  /** Compares the sales the buyers report with the tickets there were before and the count left. */
  static String verdict(List<Integer> sold, int before, int left) {
    String counts = sold.size() + " sold of " + before + " tickets, ";
    if (sold.size() > before) {
      return "verdict: "
          + counts
          + "OVERSOLD by "
          + (sold.size() - before)
          + ", tickets "
          + sold
          + ", the file says "
          + left
          + " left: buyers read the same count and overwrote each other";
    }
    if (sold.size() + left != before) {
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
        children.start(
            name,
            Buyer.class,
            name,
            LessonChildren.paceArgument(context.pace()),
            db.toString(),
            gate.socketPath().toString(),
            unsafe ? "unsafe" : "locked");
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
