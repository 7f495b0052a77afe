package io.github.concurrencycourse.memorymodel.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.common.tickets.TicketStore;
import io.github.concurrencycourse.memorymodel.lessons.PublicationLesson.Seen;
import io.github.concurrencycourse.queues.JoinableQueue;
import io.github.concurrencycourse.sync.Event;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What must hold: final fields, volatile references and the volatile double-checked lock never show
 * an unconstructed ticket, the holder class gives every thread one whole instance, and the fields
 * the lesson names in our classes are what it says they are.
 */
@Timeout(60)
class PublicationLessonTest {

  private static final int SAMPLES = 1 << 16;

  private static long total(Map<Seen, Long> seen) {
    return seen.values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void theFixedFormsNeverShowAnUnconstructedTicket() throws InterruptedException {
    List<Map<Seen, Long>> races =
        List.of(
            PublicationLesson.finalField(SAMPLES),
            PublicationLesson.volatileReference(SAMPLES),
            PublicationLesson.volatileLazy(SAMPLES));
    for (Map<Seen, Long> seen : races) {
      assertThat(seen).doesNotContainKey(Seen.DEFAULT);
      assertThat(total(seen)).isEqualTo(SAMPLES);
    }
  }

  @Test
  void theBrokenFormsCountEverySampleOnce() throws InterruptedException {
    assertThat(total(PublicationLesson.plainReference(SAMPLES))).isEqualTo(SAMPLES);
    Map<Seen, Long> lazy = PublicationLesson.plainLazy(SAMPLES);
    assertThat(lazy).doesNotContainKey(Seen.NOTHING_YET);
    assertThat(total(lazy)).isEqualTo(SAMPLES);
  }

  @Test
  void theHolderClassGivesEveryThreadTheSameWholeInstance() throws InterruptedException {
    PublicationLesson.HolderRace race = PublicationLesson.holderRace(8);

    assertThat(race.instances()).isEqualTo(1);
    assertThat(race.numbersSeen()).containsExactly(3);
  }

  @Test
  void ticketStoreIsImmutable() {
    assertThat(PublicationLesson.describeFields(TicketStore.class))
        .isEqualTo("beforeRename (final), file (final), mutex (final)");
  }

  @Test
  void eventAndJoinableQueueHaveTheFieldsTheLessonNames() throws ReflectiveOperationException {
    assertThat(PublicationLesson.describeFields(Event.class))
        .contains("lock (final)", "becameSet (final)", "flag (volatile)", "generation (plain)");
    assertThat(Event.class.getDeclaredField("lock").getType()).isEqualTo(ReentrantLock.class);
    assertThat(Event.class.getDeclaredField("becameSet").getType()).isEqualTo(Condition.class);

    assertThat(PublicationLesson.describeFields(JoinableQueue.class))
        .contains("delegate (final)", "unfinished (final)", "joinLock (final)", "allDone (final)");
    assertThat(JoinableQueue.class.getDeclaredField("unfinished").getType())
        .isEqualTo(AtomicLong.class);
  }

  @Test
  void theLessonReportsEveryFormAndOurClasses() throws Exception {
    String output = LessonRun.run(new PublicationLesson(), Pace.TEST);

    assertThat(output)
        .containsPattern(
            "final field, plain reference .* number 0 seen 0 times \\(JMM: forbidden\\)")
        .containsPattern(
            "plain field, volatile reference .* number 0 seen 0 times \\(JMM: forbidden\\)")
        .containsPattern("volatile instance field .* number 0 seen 0 times \\(JMM: forbidden\\)")
        .containsPattern("plain field, plain reference .* number 0 seen [\\d,]+ times")
        .contains("holder class: 8 threads got 1 instance, numbers seen [3]")
        .contains("fields read now: beforeRename (final), file (final), mutex (final)");
    assertThat(Set.of("Event (sync, Event.java)", "JoinableQueue (queues, JoinableQueue.java)"))
        .allMatch(output::contains);
  }
}
