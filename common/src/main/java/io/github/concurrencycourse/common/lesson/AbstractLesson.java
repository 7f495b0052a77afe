package io.github.concurrencycourse.common.lesson;

import java.util.Objects;

/**
 * A lesson whose identity, its id, title and seed section, is declared once, in the constructor.
 * Subclasses add {@link #run} and override {@link #beyondTheSeed()} or {@link #interactive()} where
 * they differ from the defaults:
 *
 * <pre>{@code
 * public final class DeadlockLesson extends AbstractLesson {
 *
 *   public DeadlockLesson() {
 *     super("sync.deadlock", "Two locks taken in opposite orders", SeedSection.DEADLOCK);
 *   }
 *
 *   @Override
 *   public void run(LessonContext context) { ... }
 * }
 * }</pre>
 *
 * <p>The identity is fixed at construction and the accessors are final, so a lesson reports the
 * same id, title and section for its whole life. The id's form is checked by {@link
 * LessonRegistry}, which names the offending class. Immutable as far as this class goes; {@link
 * Lesson} asks subclasses to hold no state between runs either.
 */
public abstract class AbstractLesson implements Lesson {

  private final String id;
  private final String title;
  private final SeedSection seedSection;

  /**
   * A lesson with this identity.
   *
   * @param id the lesson's id, {@code <module>.<name>}, as {@link Lesson#id()} describes it
   * @param title a one-line title
   * @param seedSection the section the lesson ports or, beyond the seed, follows in the tour
   * @throws NullPointerException if any argument is null
   */
  protected AbstractLesson(String id, String title, SeedSection seedSection) {
    this.id = Objects.requireNonNull(id, "id");
    this.title = Objects.requireNonNull(title, "title");
    this.seedSection = Objects.requireNonNull(seedSection, "seedSection");
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final String title() {
    return title;
  }

  @Override
  public final SeedSection seedSection() {
    return seedSection;
  }

  /** The lesson's id, which is how the course names it everywhere. */
  @Override
  public String toString() {
    return id;
  }
}
