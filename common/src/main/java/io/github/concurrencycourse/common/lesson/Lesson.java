package io.github.concurrencycourse.common.lesson;

/**
 * One runnable lesson: the Java port of a section of the seed tutorial.
 *
 * <p>Implementations are registered in {@code META-INF/services/}{@code
 * io.github.concurrencycourse.common.lesson.Lesson} and found by {@link LessonRegistry}. They need
 * a public no-argument constructor, hold no state between runs, write only to {@link
 * LessonContext#out()}, read only from {@link LessonContext#in()}, sleep only through {@link
 * LessonContext#pace()}, and leave no thread, process, socket or file behind when {@link #run}
 * returns or throws.
 *
 * <p>A lesson extends {@link AbstractLesson}, which takes the lesson's {@linkplain #id() id},
 * {@linkplain #title() title} and {@linkplain #seedSection() seed section} in its constructor, so
 * the lesson declares them once (and whether it is {@linkplain #beyondTheSeed() beyond the seed})
 * and implements only {@link #run}, plus {@link #interactive()} if it reads a person's input.
 * Implementing this interface directly suits a test double whose identity is chosen per instance.
 */
public interface Lesson {

  /**
   * The lesson's id, {@code <module>.<name>} in lower-case words joined by hyphens, for example
   * {@code sync.deadlock}. The part before the dot is the topic module.
   */
  String id();

  /** A one-line title. */
  String title();

  /**
   * The seed section this lesson ports or, for a lesson {@linkplain #beyondTheSeed() beyond the
   * seed}, the section it follows in the tour.
   */
  SeedSection seedSection();

  /**
   * Whether the lesson teaches something the seed does not (a read-write lock, the memory model).
   * Such a lesson ports no section: it is listed under its own heading and runs in the tour after
   * {@link #seedSection()}.
   */
  default boolean beyondTheSeed() {
    return false;
  }

  /**
   * Whether the lesson waits for a person's input. Interactive lessons are skipped by {@code course
   * tour}; tests script them through {@link LessonContext#in()}.
   */
  default boolean interactive() {
    return false;
  }

  /**
   * Runs the lesson to completion.
   *
   * @throws Exception if the lesson fails; a lesson that shows a failure on purpose (an oversell, a
   *     deadlock) reports it in its output and returns normally
   */
  void run(LessonContext context) throws Exception;

  /** The topic module the lesson belongs to: the part of {@link #id()} before the first dot. */
  default String module() {
    String id = id();
    int dot = id.indexOf('.');
    return dot < 0 ? id : id.substring(0, dot);
  }
}
