package io.github.concurrencycourse.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.LessonRegistry;
import java.util.List;

/**
 * The check every topic module makes of its lesson registrations: that its service file, its
 * lessons' ids and the tour agree.
 *
 * <p>A module's test names its lessons once, in the order the tour runs them, and adds its own
 * checks on what {@link #assertRegistered} returns (for example that none is interactive). Reads
 * the class path through {@link LessonRegistry#load()}; stateless and thread-safe.
 */
public final class ModuleLessons {

  private ModuleLessons() {}

  /**
   * Asserts that the lessons registered for {@code module} on the class path are exactly those with
   * {@code idsInTourOrder}, in that order, and that each has a one-line title; returns them.
   *
   * @throws AssertionError if a lesson is missing, extra, out of order or badly titled
   * @throws IllegalStateException if the registry rejects a registration (a duplicate or malformed
   *     id)
   */
  public static List<Lesson> assertRegistered(String module, String... idsInTourOrder) {
    List<Lesson> lessons = LessonRegistry.load().byModule().getOrDefault(module, List.of());
    assertThat(lessons)
        .as("lessons registered for module %s, in tour order", module)
        .extracting(Lesson::id)
        .containsExactly(idsInTourOrder);
    assertThat(lessons)
        .as("titles of the lessons of module %s", module)
        .allSatisfy(lesson -> assertThat(lesson.title()).isNotBlank().doesNotContain("\n"));
    return lessons;
  }
}
