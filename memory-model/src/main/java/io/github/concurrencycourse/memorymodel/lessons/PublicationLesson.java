package io.github.concurrencycourse.memorymodel.lessons;

import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.tickets.TicketStore;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Beyond the seed: safe publication. An object handed to another thread must arrive whole.
 *
 * <p>Run it with {@code ./course run memory-model.publication}. You will see:
 *
 * <ul>
 *   <li>a ticket with a plain field published through a plain field, against one with a {@code
 *       final} field and one published through a {@code volatile} field: how often the reader saw
 *       the ticket but not its number. The JMM allows it for the first; x86 keeps stores in order
 *       and HotSpot keeps a constructor's stores before the store that publishes the object, so
 *       this machine is unlikely to show it (ARM and POWER do);
 *   <li>double-checked locking, broken (plain field) and fixed (volatile field), raced the same
 *       way, then the holder-class idiom, which needs neither a lock nor a volatile read once the
 *       class is initialised;
 *   <li>why the course's own shared classes are safe, with the fields that make them so: {@code
 *       TicketStore}'s are read by reflection in this run.
 * </ul>
 */
public final class PublicationLesson extends MemoryModelLesson {

  /** Samples per race. */
  static final int SAMPLES = 1 << 18;

  /** Threads that ask the holder for its instance at once. */
  static final int HOLDER_THREADS = 8;

  /** A ticket whose number is a plain field. */
  static final class PlainTicket {
    int number;

    PlainTicket(int number) {
      this.number = number;
    }
  }

  /** A ticket whose number is final: frozen when the constructor ends. */
  static final class FinalTicket {
    final int number;

    FinalTicket(int number) {
      this.number = number;
    }
  }

  /** What the reader saw of the published ticket. */
  enum Seen {
    NOTHING_YET("no ticket yet"),
    WHOLE("the ticket, number 3"),
    DEFAULT("the ticket, number 0");

    private final String label;

    Seen(String label) {
      this.label = label;
    }

    static Seen of(int number) {
      return switch (number) {
        case -1 -> NOTHING_YET;
        case 0 -> DEFAULT;
        default -> WHOLE;
      };
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** One sample: a plain field to publish through, and what the reader found. */
  static final class PlainSlot {
    PlainTicket ticket;
    int seen;
  }

  /** One sample publishing a ticket with a final field through a plain field. */
  static final class FinalSlot {
    FinalTicket ticket;
    int seen;
  }

  /** One sample publishing through a volatile field. */
  static final class VolatileSlot {
    volatile PlainTicket ticket;
    int seen;
  }

  /** Double-checked locking on a plain field. Broken on purpose. */
  static final class PlainLazy {
    private PlainTicket instance;
    int seenByFirst;
    int seenBySecond;

    // The pattern this lesson takes apart; Error Prone rejects it anywhere else.
    @SuppressWarnings("DoubleCheckedLocking")
    PlainTicket instance() {
      PlainTicket found = instance;
      if (found == null) {
        synchronized (this) {
          found = instance;
          if (found == null) {
            found = new PlainTicket(3);
            instance = found;
          }
        }
      }
      return found;
    }
  }

  /** Double-checked locking on a volatile field. */
  static final class VolatileLazy {
    private volatile PlainTicket instance;
    int seenByFirst;
    int seenBySecond;

    PlainTicket instance() {
      PlainTicket found = instance;
      if (found == null) {
        synchronized (this) {
          found = instance;
          if (found == null) {
            found = new PlainTicket(3);
            instance = found;
          }
        }
      }
      return found;
    }
  }

  /**
   * The holder-class idiom: {@code Holder} is initialised on the first call, under the JVM's class
   * initialisation lock, and that lock publishes its static final field to every thread.
   */
  static final class LazyTicket {
    private LazyTicket() {}

    private static final class Holder {
      static final PlainTicket INSTANCE = new PlainTicket(3);
    }

    static PlainTicket instance() {
      return Holder.INSTANCE;
    }
  }

  /** What the threads that raced for the holder's instance got. */
  record HolderRace(int instances, Set<Integer> numbersSeen) {}

  public PublicationLesson() {
    super(
        "memory-model.publication",
        "Safe publication: final fields, volatile, double-checked locking, the holder class");
  }

  @Override
  public void run(LessonContext context) throws InterruptedException {
    PrintStream out = context.out();
    out.printf(
        Locale.ROOT,
        "One thread publishes new Ticket(3), another reads it; %,d fresh samples each.%n",
        SAMPLES);
    printRace(out, "plain field, plain reference", plainReference(SAMPLES), "JMM: allowed");
    printRace(out, "final field, plain reference", finalField(SAMPLES), "JMM: forbidden");
    printRace(out, "plain field, volatile reference", volatileReference(SAMPLES), "JMM: forbidden");
    out.println();
    out.println("Double-checked locking, two threads asking for the lazy ticket at once:");
    printRace(out, "plain instance field", plainLazy(SAMPLES), "JMM: allowed, it is broken");
    printRace(out, "volatile instance field", volatileLazy(SAMPLES), "JMM: forbidden");
    HolderRace holder = holderRace(HOLDER_THREADS);
    out.printf(
        Locale.ROOT,
        "  holder class: %d threads got %d instance, numbers seen %s: the class initialisation lock"
            + " publishes it, and later calls take no lock at all%n",
        HOLDER_THREADS,
        holder.instances(),
        holder.numbersSeen());
    out.println();
    out.println("Why the course's shared classes are safe:");
    out.println(
        "  TicketStore (common, tickets/TicketStore.java), fields read now: "
            + describeFields(TicketStore.class));
    out.println(
        "    every instance field is final, so a store is immutable and safe however it is"
            + " published; the count itself lives in the file and is read and written under the"
            + " store's FileMutex (common, launch/FileMutex.java), whose in-JVM lock per file comes"
            + " from BY_FILE, a static final ConcurrentHashMap (class initialisation, then the"
            + " map's own happens-before), and whose FileLock excludes other processes.");
    out.println(
        "  Event (sync, Event.java): flag is volatile, written under lock in set() and clear(),"
            + " read without it in isSet() and on the fast path of await(); lock and becameSet are"
            + " final; generation is @GuardedBy(\"lock\").");
    out.println(
        "  JoinableQueue (queues, JoinableQueue.java): delegate, unfinished, joinLock and allDone"
            + " are final; each element crosses threads through the delegate BlockingQueue, whose"
            + " put happens-before the take; unfinished is an AtomicLong.");
  }

  private static void printRace(PrintStream out, String form, Map<Seen, Long> seen, String jmm) {
    out.printf(
        Locale.ROOT,
        "  %-32s %s -> number 0 seen %,d times (%s)%n",
        form,
        Race.describe(seen),
        seen.getOrDefault(Seen.DEFAULT, 0L),
        jmm);
  }

  /**
   * The instance fields of {@code type} by name, with the modifiers that matter for publication,
   * such as {@code file (final), mutex (final)}.
   */
  static String describeFields(Class<?> type) {
    return Arrays.stream(type.getDeclaredFields())
        .filter(field -> !Modifier.isStatic(field.getModifiers()))
        .sorted(Comparator.comparing(Field::getName))
        .map(field -> field.getName() + " (" + publicationModifiers(field) + ")")
        .collect(Collectors.joining(", "));
  }

  /** {@code final}, {@code volatile}, or {@code plain}. */
  static String publicationModifiers(Field field) {
    int modifiers = field.getModifiers();
    List<String> words = new ArrayList<>();
    if (Modifier.isFinal(modifiers)) {
      words.add("final");
    }
    if (Modifier.isVolatile(modifiers)) {
      words.add("volatile");
    }
    return words.isEmpty() ? "plain" : String.join(" ", words);
  }

  static Map<Seen, Long> plainReference(int samples) throws InterruptedException {
    return Race.between(
            PlainSlot::new,
            (PlainSlot s) -> s.ticket = new PlainTicket(3),
            (PlainSlot s) -> {
              PlainTicket t = s.ticket;
              s.seen = t == null ? -1 : t.number;
            })
        .run(samples, s -> Seen.of(s.seen));
  }

  static Map<Seen, Long> finalField(int samples) throws InterruptedException {
    return Race.between(
            FinalSlot::new,
            (FinalSlot s) -> s.ticket = new FinalTicket(3),
            (FinalSlot s) -> {
              FinalTicket t = s.ticket;
              s.seen = t == null ? -1 : t.number;
            })
        .run(samples, s -> Seen.of(s.seen));
  }

  static Map<Seen, Long> volatileReference(int samples) throws InterruptedException {
    return Race.between(
            VolatileSlot::new,
            (VolatileSlot s) -> s.ticket = new PlainTicket(3),
            (VolatileSlot s) -> {
              PlainTicket t = s.ticket;
              s.seen = t == null ? -1 : t.number;
            })
        .run(samples, s -> Seen.of(s.seen));
  }

  /** Both threads ask; the outcome is the worse of what they saw. */
  static Map<Seen, Long> plainLazy(int samples) throws InterruptedException {
    return Race.between(
            PlainLazy::new,
            (PlainLazy l) -> l.seenByFirst = l.instance().number,
            (PlainLazy l) -> l.seenBySecond = l.instance().number)
        .run(samples, l -> Seen.of(Math.min(l.seenByFirst, l.seenBySecond)));
  }

  static Map<Seen, Long> volatileLazy(int samples) throws InterruptedException {
    return Race.between(
            VolatileLazy::new,
            (VolatileLazy l) -> l.seenByFirst = l.instance().number,
            (VolatileLazy l) -> l.seenBySecond = l.instance().number)
        .run(samples, l -> Seen.of(Math.min(l.seenByFirst, l.seenBySecond)));
  }

  /** {@code threads} threads, released together, each ask the holder for its instance. */
  static HolderRace holderRace(int threads) throws InterruptedException {
    Set<PlainTicket> instances = ConcurrentHashMap.newKeySet();
    Set<Integer> numbers = ConcurrentHashMap.newKeySet();
    Together.run(
        "asker",
        threads,
        thread -> {
          PlainTicket ticket = LazyTicket.instance();
          instances.add(ticket);
          numbers.add(ticket.number);
        });
    return new HolderRace(instances.size(), Set.copyOf(numbers));
  }
}
