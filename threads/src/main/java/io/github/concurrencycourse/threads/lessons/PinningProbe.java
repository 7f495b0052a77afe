package io.github.concurrencycourse.threads.lessons;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Finds out, on the JDK that runs it, which ways of blocking pin a virtual thread to its carrier:
 * each probe blocks a virtual thread of its own by sleeping in a certain place, while a JFR {@link
 * RecordingStream} records the JDK's {@code jdk.VirtualThreadPinned} events, which the JDK emits
 * when a virtual thread parks and cannot let go of its carrier.
 *
 * <ul>
 *   <li>inside {@code synchronized}: pinned up to JDK 23; since JDK 24 (JEP 491) a virtual thread
 *       unmounts holding a monitor;
 *   <li>inside a class initializer: pinned on every JDK so far, because the initializer runs below
 *       a frame of the VM itself, which a virtual thread cannot unmount across (the same holds for
 *       a native frame, such as Java code called back from C through JNI or the FFM API).
 * </ul>
 *
 * <p>Meant for a JVM of its own ({@link OneCarrierDemo}'s): a class initializer runs once per JVM,
 * so the probe can be run once. Not thread-safe.
 */
final class PinningProbe {

  static final String SYNCHRONIZED = "sleep inside synchronized";
  static final String CLASS_INITIALIZER = "sleep inside a class initializer";

  private static final String EVENT = "jdk.VirtualThreadPinned";

  /** How long the class initializer sleeps; set before the class is first used. */
  private static volatile Duration initializerSleep = Duration.ZERO;

  private static final Object MONITOR = new Object();

  private PinningProbe() {}

  /** Whether this JVM can record JFR events at all. */
  static boolean available() {
    return FlightRecorder.isAvailable();
  }

  /**
   * Blocks one virtual thread per probe for {@code sleep} and returns, for each probe in order, the
   * JFR {@code pinnedReason} if the virtual thread was pinned, or empty.
   */
  static Map<String, Optional<String>> run(Duration sleep) throws InterruptedException {
    Map<String, String> reasons = new ConcurrentHashMap<>();
    try (RecordingStream recording = new RecordingStream()) {
      // Threshold zero: every pinned park is recorded, however short the probe's sleep.
      recording.enable(EVENT).withThreshold(Duration.ZERO);
      recording.onEvent(EVENT, event -> record(event, reasons));
      recording.startAsync();
      Thread.ofVirtual().name(SYNCHRONIZED).start(() -> sleepInsideSynchronized(sleep)).join();
      initializerSleep = sleep;
      Thread.ofVirtual().name(CLASS_INITIALIZER).start(SlowToInitialize::touch).join();
      // Stops the recording once every event recorded so far has reached onEvent.
      recording.stop();
    }
    Map<String, Optional<String>> pinned = new LinkedHashMap<>();
    for (String probe : new String[] {SYNCHRONIZED, CLASS_INITIALIZER}) {
      pinned.put(probe, Optional.ofNullable(reasons.get(probe)));
    }
    return pinned;
  }

  private static void record(RecordedEvent event, Map<String, String> reasons) {
    RecordedThread thread = event.getThread("eventThread");
    if (thread != null && thread.getJavaName() != null) {
      String reason = event.hasField("pinnedReason") ? event.getString("pinnedReason") : null;
      reasons.putIfAbsent(thread.getJavaName(), reason == null ? "pinned" : reason);
    }
  }

  private static void sleepInsideSynchronized(Duration sleep) {
    synchronized (MONITOR) {
      sleepQuietly(sleep);
    }
  }

  private static void sleepQuietly(Duration sleep) {
    try {
      Thread.sleep(sleep);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A class whose initializer blocks: the thread that first uses it sleeps inside {@code <clinit>}.
   */
  private static final class SlowToInitialize {
    static {
      sleepQuietly(initializerSleep);
    }

    private SlowToInitialize() {}

    /** Does nothing; calling it initializes the class. */
    static void touch() {}
  }
}
