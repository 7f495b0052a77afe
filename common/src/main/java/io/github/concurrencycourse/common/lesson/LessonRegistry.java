package io.github.concurrencycourse.common.lesson;

import io.github.concurrencycourse.common.spi.ProviderRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * The lessons on the class path, found with {@link ServiceLoader} and kept in the seed's order: by
 * {@linkplain Lesson#seedSection() section}, a section's own lessons before the lessons {@linkplain
 * Lesson#beyondTheSeed() beyond the seed} that follow it, by module within each, and within a
 * module in the order the module registers them, so that a module's lessons build on each other.
 *
 * <p>Construction fails with {@link IllegalStateException} when two lessons share an id or an id is
 * malformed, naming the classes involved, so a broken registration is found at start-up and never
 * by a user who runs the wrong lesson. Immutable and thread-safe once built.
 */
public final class LessonRegistry extends ProviderRegistry<Lesson> {

  private static final Key<Lesson> ID =
      new Key<>(
          "lesson",
          "id",
          Lesson::id,
          Pattern.compile("[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*"),
          "<module>.<name> in lower-case words joined by hyphens");

  /**
   * Seed order first, then the section's own lessons before those beyond the seed that follow it,
   * then module, so the tour reads like the tutorial. The sort is stable: a module's lessons keep
   * the order of its service file.
   */
  private static final Comparator<Lesson> SEED_ORDER =
      Comparator.comparing(Lesson::seedSection)
          .thenComparing(Lesson::beyondTheSeed)
          .thenComparing(Lesson::module);

  private LessonRegistry(List<? extends Lesson> lessons) {
    super(ID, lessons, SEED_ORDER);
  }

  /** The lessons registered on the class path of {@code classLoader}. */
  public static LessonRegistry load(ClassLoader classLoader) {
    return new LessonRegistry(loadProviders(Lesson.class, classLoader));
  }

  /** The lessons registered on the class path of this class's loader. */
  public static LessonRegistry load() {
    return load(LessonRegistry.class.getClassLoader());
  }

  /** A registry of exactly these lessons, checked as {@link #load} checks them. */
  public static LessonRegistry of(List<? extends Lesson> lessons) {
    return new LessonRegistry(lessons);
  }

  /** The lessons grouped by module; modules and lessons in seed order. */
  public Map<String, List<Lesson>> byModule() {
    Map<String, List<Lesson>> groups = new LinkedHashMap<>();
    for (Lesson lesson : all()) {
      groups.computeIfAbsent(lesson.module(), m -> new ArrayList<>()).add(lesson);
    }
    groups.replaceAll((module, list) -> List.copyOf(list));
    return Collections.unmodifiableMap(groups);
  }

  /** Whether no lesson is registered. */
  public boolean isEmpty() {
    return all().isEmpty();
  }
}
