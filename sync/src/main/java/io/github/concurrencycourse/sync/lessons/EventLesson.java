package io.github.concurrencycourse.sync.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.LessonThreads;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.sync.Event;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Event: two connectors wait for a checker to say that MySQL is up. Each tries three times and
 * waits three seconds per try; the checker sets the {@link Event} when its check is done.
 *
 * <p>Run it with {@code ./course run sync.event}. You will see the story three times. First as the
 * seed wrote it: the checker needs 14 seconds, the connectors give up after three tries of three
 * seconds ({@code have tried too many times}), and the event is set when nobody waits any more.
 * Then with a checker that is done after 4 seconds: during their second wait both connectors are
 * woken by the one {@code set()} and print {@code 链接成功!} (connected). Last, the seed's {@code
 * event.clear()} (listed among the event's methods, never called): MySQL goes down again, the
 * checker clears the event, and the connectors that come next find {@code is_set()} false and wait
 * again until the checker sets it once more.
 */
public final class EventLesson extends AbstractLesson {

  /** The seed's checker, which needs 14 seconds. */
  public static final double LATE_CHECKER_SECONDS = 14;

  /** A checker that is done during the connectors' second try. */
  public static final double EARLY_CHECKER_SECONDS = 4;

  private static final int TRIES = 3;
  private static final double SEED_WAIT_SECONDS = 3;

  /** How the connectors of one run of the story ended. */
  public record Ending(int connected, int gaveUp) {}

  public EventLesson() {
    super(
        "sync.event",
        "Event: connectors wait for the checker; too late they give up, early they connect",
        SeedSection.EVENT);
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    out.println("-- the seed: the checker needs 14 s, the connectors wait 3 x 3 s --");
    Ending late = story(out, context.pace(), LATE_CHECKER_SECONDS);
    out.println(late.connected() + " connected, " + late.gaveUp() + " gave up");
    out.println("-- a checker that is done after 4 s --");
    Ending early = story(out, context.pace(), EARLY_CHECKER_SECONDS);
    out.println(early.connected() + " connected, " + early.gaveUp() + " gave up");
    out.println("-- event.clear(): mysql goes down again, the connectors must wait once more --");
    Ending again = clearedStory(out, context.pace());
    out.println(again.connected() + " connected, " + again.gaveUp() + " gave up");
  }

  /**
   * Sets an event, clears it, and runs the story with a checker that is done after 4 s on the
   * cleared event: {@code clear()} makes the connectors wait again, where a set event would have
   * let them through at once.
   */
  public static Ending clearedStory(PrintStream out, Pace pace) throws InterruptedException {
    Event event = new Event();
    event.set();
    out.println("event.set():   is_set() = " + event.isSet() + "  (mysql was up)");
    event.clear();
    out.println("event.clear(): is_set() = " + event.isSet() + "  (mysql went down)");
    return story(out, pace, event, EARLY_CHECKER_SECONDS);
  }

  /**
   * Runs the seed's two connectors and its checker, which sets the event after {@code
   * checkerSeconds} of seed time, and waits for all three.
   */
  public static Ending story(PrintStream out, Pace pace, double checkerSeconds)
      throws InterruptedException {
    return story(out, pace, new Event(), checkerSeconds);
  }

  private static Ending story(PrintStream out, Pace pace, Event event, double checkerSeconds)
      throws InterruptedException {
    AtomicInteger connected = new AtomicInteger();
    AtomicInteger gaveUp = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    try {
      for (String name : List.of("conn1", "conn2")) {
        threads.add(
            Thread.ofPlatform()
                .name(name)
                .start(() -> connect(out, pace, event, connected, gaveUp)));
      }
      threads.add(
          Thread.ofPlatform()
              .name("check")
              .start(
                  () -> {
                    out.println("[" + Thread.currentThread().getName() + "]正在检查mysql");
                    try {
                      pace.sleepSeconds(checkerSeconds);
                      event.set();
                      out.println("[check] mysql is up: event set");
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
      for (Thread thread : threads) {
        thread.join();
      }
    } finally {
      LessonThreads.stopAll(threads);
    }
    return new Ending(connected.get(), gaveUp.get());
  }

  /** The seed's {@code conn_mysql}. */
  private static void connect(
      PrintStream out, Pace pace, Event event, AtomicInteger connected, AtomicInteger gaveUp) {
    String me = Thread.currentThread().getName();
    try {
      int count = 1;
      while (!event.isSet()) {
        if (count > TRIES) {
          out.println("【" + me + "】have tried too many times");
          gaveUp.incrementAndGet();
          return;
        }
        out.println("【" + me + "】第" + count + "次尝试链接");
        event.await(pace.seconds(SEED_WAIT_SECONDS));
        count++;
      }
      out.println("【" + me + "】链接成功!");
      connected.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
