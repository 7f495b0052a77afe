package io.github.concurrencycourse.common.lesson;

import java.util.Objects;

/**
 * A lesson whose identity, its id, title and place in the seed, is declared once, in the
 * constructor. Subclasses add {@link #run}, and override {@link #interactive()} if they read a
 * person's input:
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
 * <p>A lesson that teaches what the seed does not passes {@code beyondTheSeedAfter(section)}
 * instead of the section it would port: {@code super("sync.read-write", "...",
 * beyondTheSeedAfter(SeedSection.WITH_LOCK))}.
 *
 * <p>The identity is fixed at construction and the accessors are final, so a lesson reports the
 * same id, title, section and placement for its whole life. The id's form is checked by {@link
 * LessonRegistry}, which names the offending class. Immutable as far as this class goes; {@link
 * Lesson} asks subclasses to hold no state between runs either.
 */
public abstract class AbstractLesson implements Lesson {

  private final String id;
  private final String title;
  private final SeedSection seedSection;
  private final boolean beyondTheSeed;

  /**
   * Where a lesson beyond the seed goes in the tour: after the lessons of {@code section}.
   *
   * @param section the seed section the lesson follows
   */
  protected record BeyondTheSeed(SeedSection section) {

    /**
     * Checks the section.
     *
     * @throws NullPointerException if {@code section} is null
     */
    public BeyondTheSeed {
      Objects.requireNonNull(section, "section");
    }
  }

  /**
   * The placement of a lesson that teaches what the seed does not, after {@code section} in the
   * tour.
   */
  protected static BeyondTheSeed beyondTheSeedAfter(SeedSection section) {
    return new BeyondTheSeed(section);
  }

  /**
   * A lesson that ports {@code seedSection}.
   *
   * @param id the lesson's id, {@code <module>.<name>}, as {@link Lesson#id()} describes it
   * @param title a one-line title
   * @param seedSection the section the lesson ports
   * @throws NullPointerException if any argument is null
   */
  protected AbstractLesson(String id, String title, SeedSection seedSection) {
    this(id, title, Objects.requireNonNull(seedSection, "seedSection"), false);
  }

  /**
   * A lesson beyond the seed, placed in the tour after the section {@code placement} names.
   *
   * @param id the lesson's id, {@code <module>.<name>}, as {@link Lesson#id()} describes it
   * @param title a one-line title
   * @param placement the section the lesson follows, from {@link #beyondTheSeedAfter}
   * @throws NullPointerException if any argument is null
   */
  protected AbstractLesson(String id, String title, BeyondTheSeed placement) {
    this(id, title, Objects.requireNonNull(placement, "placement").section(), true);
  }

  private AbstractLesson(String id, String title, SeedSection seedSection, boolean beyondTheSeed) {
    this.id = Objects.requireNonNull(id, "id");
    this.title = Objects.requireNonNull(title, "title");
    this.seedSection = seedSection;
    this.beyondTheSeed = beyondTheSeed;
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

  @Override
  public final boolean beyondTheSeed() {
    return beyondTheSeed;
  }

  /** The lesson's id, which is how the course names it everywhere. */
  @Override
  public String toString() {
    return id;
  }
}
