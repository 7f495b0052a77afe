package io.github.concurrencycourse.sync.lessons;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Beyond the seed: the seed's ticket rush (ten users, three tickets) with two waits added, told
 * twice: first with a {@link CountDownLatch} and a {@link CyclicBarrier}, then with one {@link
 * Phaser} doing both jobs.
 *
 * <ol>
 *   <li>The ticket window opens only when all ten users stand in line: each user counts down a
 *       latch and waits; the main thread waits for that latch, then opens a second, one-shot latch
 *       that releases everybody at once.
 *   <li>Nobody buys before everybody has looked up the count: each user searches, then waits at a
 *       barrier; the barrier's action runs once, in the last user to arrive.
 *   <li>Three users get a ticket, seven do not.
 * </ol>
 *
 * <p>Run it with {@code ./course run sync.latch-barrier}. You will see the ten users line up, the
 * window open, ten searches, {@code everybody has searched: buying starts} exactly once, three
 * {@code 购票成功!} (bought) and seven {@code 购票失败!} (sold out). The Phaser run prints the phase
 * numbers and the parties still registered: the main thread leaves after opening the window and
 * each user leaves after buying, so the Phaser ends with no party and terminates.
 */
public final class LatchBarrierLesson extends AbstractLesson {

  /** The seed's ten users. */
  public static final int USERS = 10;

  /** The seed's {@code {'count': 3}}. */
  public static final int TICKETS = 3;

  /** The three waits of the story, as one tool or another provides them. */
  interface Waits {
    /** A user is in line; returns when the window is open. */
    void lineUpAndWaitForWindow() throws InterruptedException;

    /**
     * The main thread: waits until every user is in line, then opens the window. The opening action
     * given to the constructor runs after the last user is in line and before any is let through.
     */
    void openWindowWhenAllInLine() throws InterruptedException;

    /** A user has searched; returns when every user has. */
    void searchedWaitForAll() throws InterruptedException;

    /** A user is done. */
    void leave();
  }

  /** The waits from a latch, a latch and a barrier. */
  static final class LatchesAndBarrier implements Waits {
    private final CountDownLatch inLine = new CountDownLatch(USERS);
    private final CountDownLatch windowOpen = new CountDownLatch(1);
    private final CyclicBarrier allSearched;

    private final Runnable atOpening;

    LatchesAndBarrier(Runnable atOpening, Runnable whenAllSearched) {
      this.atOpening = atOpening;
      allSearched = new CyclicBarrier(USERS, whenAllSearched);
    }

    @Override
    public void lineUpAndWaitForWindow() throws InterruptedException {
      inLine.countDown();
      windowOpen.await();
    }

    @Override
    public void openWindowWhenAllInLine() throws InterruptedException {
      inLine.await();
      atOpening.run();
      windowOpen.countDown();
    }

    @Override
    public void searchedWaitForAll() throws InterruptedException {
      try {
        allSearched.await();
      } catch (BrokenBarrierException e) {
        throw new IllegalStateException("another user left the barrier", e);
      }
    }

    @Override
    public void leave() {}
  }

  /** The same waits from one phaser: phase 0 is the line, phase 1 the search. */
  static final class OnePhaser implements Waits {
    private final Phaser phaser;

    OnePhaser(PrintStream out, Runnable atOpening, Runnable whenAllSearched) {
      // The main thread and every user are parties from the start, so no phase ends early.
      phaser =
          new Phaser(1 + USERS) {
            @Override
            protected boolean onAdvance(int phase, int registeredParties) {
              if (phase == 0) {
                atOpening.run();
              } else if (phase == 1) {
                whenAllSearched.run();
              }
              out.println(
                  "phaser: phase " + phase + " over, " + registeredParties + " parties registered");
              return registeredParties == 0;
            }
          };
    }

    @Override
    public void lineUpAndWaitForWindow() throws InterruptedException {
      awaitAdvance(phaser.arrive());
    }

    @Override
    public void openWindowWhenAllInLine() throws InterruptedException {
      int phase = phaser.arriveAndDeregister();
      awaitAdvance(phase);
    }

    @Override
    public void searchedWaitForAll() throws InterruptedException {
      awaitAdvance(phaser.arrive());
    }

    @Override
    public void leave() {
      phaser.arriveAndDeregister();
    }

    boolean isTerminated() {
      return phaser.isTerminated();
    }

    private void awaitAdvance(int phase) throws InterruptedException {
      phaser.awaitAdvanceInterruptibly(phase);
    }
  }

  /** What one run of the story observed; every count but {@code sold} must be as stated. */
  record Outcome(
      int sold, int passedBeforeWindowOpened, int boughtBeforeAllSearched, int actions) {}

  /** The seed's {@code db.txt}: three tickets, one counter behind a lock. */
  static final class TicketWindow {
    @GuardedBy("this")
    private int count = TICKETS;

    synchronized int remaining() {
      return count;
    }

    synchronized boolean buy() {
      if (count > 0) {
        count--;
        return true;
      }
      return false;
    }
  }

  public LatchBarrierLesson() {
    super(
        "sync.latch-barrier",
        "The ticket rush with CountDownLatch and CyclicBarrier, then with one Phaser",
        beyondTheSeedAfter(SeedSection.EVENT));
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    out.println("-- CountDownLatch + CyclicBarrier --");
    report(out, story(out, context.pace(), false));
    out.println("-- one Phaser --");
    report(out, story(out, context.pace(), true));
  }

  private static void report(PrintStream out, Outcome outcome) {
    out.println(
        outcome.sold()
            + " tickets sold; "
            + outcome.passedBeforeWindowOpened()
            + " users passed before the window opened; "
            + outcome.boughtBeforeAllSearched()
            + " bought before all had searched");
  }

  /** Runs the ten users with latches and a barrier, or with one phaser. */
  static Outcome story(PrintStream out, Pace pace, boolean withPhaser) throws InterruptedException {
    TicketWindow window = new TicketWindow();
    AtomicBoolean windowOpen = new AtomicBoolean();
    AtomicInteger searched = new AtomicInteger();
    AtomicInteger early = new AtomicInteger();
    AtomicInteger eager = new AtomicInteger();
    AtomicInteger actions = new AtomicInteger();
    Runnable whenAllSearched =
        () -> {
          actions.incrementAndGet();
          out.println("everybody has searched: buying starts");
        };
    Runnable atOpening =
        () -> {
          windowOpen.set(true);
          out.println("main: all " + USERS + " users are in line; the window opens");
        };
    Waits waits =
        withPhaser
            ? new OnePhaser(out, atOpening, whenAllSearched)
            : new LatchesAndBarrier(atOpening, whenAllSearched);
    List<Thread> users = new ArrayList<>(USERS);
    try {
      for (int i = 0; i < USERS; i++) {
        String name = "用户" + i;
        users.add(
            Thread.ofPlatform()
                .name(name)
                .start(
                    () -> {
                      try {
                        out.println(name + " is in line");
                        waits.lineUpAndWaitForWindow();
                        if (!windowOpen.get()) {
                          early.incrementAndGet();
                        }
                        pace.sleepSeconds(1);
                        out.println("用户【" + name + "】查到的剩余票数为:" + window.remaining());
                        searched.incrementAndGet();
                        waits.searchedWaitForAll();
                        if (searched.get() < USERS) {
                          eager.incrementAndGet();
                        }
                        out.println(name + (window.buy() ? "购票成功!" : "购票失败!"));
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      } finally {
                        waits.leave();
                      }
                    }));
      }
      waits.openWindowWhenAllInLine();
      for (Thread user : users) {
        user.join();
      }
    } finally {
      LessonThreads.stopAll(users);
    }
    if (waits instanceof OnePhaser phaser) {
      out.println("phaser terminated: " + phaser.isTerminated());
    }
    return new Outcome(TICKETS - window.remaining(), early.get(), eager.get(), actions.get());
  }
}
