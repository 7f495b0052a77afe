package io.github.concurrencycourse.common.lesson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LessonRegistryTest {

  @Test
  void findsLessonsRegisteredWithServiceLoader() {
    LessonRegistry registry = LessonRegistry.load();

    assertThat(registry.find("common.registered")).get().isInstanceOf(RegisteredTestLesson.class);
  }

  @Test
  void rejectsTwoLessonsWithTheSameIdNamingBothClasses() {
    List<Lesson> lessons =
        List.of(
            new FixedLesson("sync.mutex", SeedSection.THREAD_MUTEX),
            new RegisteredTestLesson(),
            new FixedLesson("sync.mutex", SeedSection.WITH_LOCK));

    assertThatThrownBy(() -> LessonRegistry.of(lessons))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("duplicate lesson id 'sync.mutex'")
        .hasMessageContaining(FixedLesson.class.getName());
  }

  @Test
  void rejectsMalformedIds() {
    for (String id : List.of("mutex", "Sync.mutex", "sync.", ".mutex", "sync.mutex lock")) {
      assertThatThrownBy(() -> LessonRegistry.of(List.of(new FixedLesson(id, SeedSection.EVENT))))
          .as(id)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("malformed id");
    }
  }

  @Test
  void ordersLessonsAsTheSeedDoesThenByModuleThenAsRegistered() {
    LessonRegistry registry =
        LessonRegistry.of(
            List.of(
                new FixedLesson("sync.event", SeedSection.EVENT),
                new FixedLesson("processes.start-function", SeedSection.PROCESS_START_FUNCTION),
                new FixedLesson("sync.mutex-b", SeedSection.THREAD_MUTEX),
                new FixedLesson("threads.mutex", SeedSection.THREAD_MUTEX),
                new FixedLesson("sync.mutex-a", SeedSection.THREAD_MUTEX)));

    assertThat(registry.all())
        .extracting(Lesson::id)
        .containsExactly(
            "processes.start-function",
            "sync.mutex-b",
            "sync.mutex-a",
            "threads.mutex",
            "sync.event");
  }

  @Test
  void placesLessonsBeyondTheSeedAfterTheLessonsOfTheSectionTheyFollow() {
    LessonRegistry registry =
        LessonRegistry.of(
            List.of(
                FixedLesson.beyondTheSeed("sync.read-write", SeedSection.WITH_LOCK),
                new FixedLesson("sync.with-lock", SeedSection.WITH_LOCK),
                new FixedLesson("sync.event", SeedSection.EVENT),
                new FixedLesson("sync.semaphore", SeedSection.SEMAPHORE)));

    assertThat(registry.all())
        .extracting(Lesson::id)
        .containsExactly("sync.semaphore", "sync.with-lock", "sync.read-write", "sync.event");
  }

  @Test
  void groupsLessonsByModuleInSeedOrder() {
    LessonRegistry registry =
        LessonRegistry.of(
            List.of(
                new FixedLesson("sync.event", SeedSection.EVENT),
                new FixedLesson("threads.start-function", SeedSection.THREAD_START_FUNCTION),
                new FixedLesson("sync.mutex", SeedSection.THREAD_MUTEX)));

    assertThat(registry.byModule()).containsOnlyKeys("threads", "sync");
    assertThat(registry.byModule().keySet()).containsExactly("threads", "sync");
    assertThat(registry.byModule().get("sync"))
        .extracting(Lesson::id)
        .containsExactly("sync.mutex", "sync.event");
  }

  @Test
  void aLessonPrintsToItsContextAndSeesItsArguments() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LessonContext context =
        LessonContext.of(new PrintStream(bytes, true, StandardCharsets.UTF_8), Pace.TEST)
            .withArguments(List.of("--unsafe"));

    new RegisteredTestLesson().run(context);

    assertThat(context.hasFlag("--unsafe")).isTrue();
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("registered lesson ran with [--unsafe]" + System.lineSeparator());
  }
}
