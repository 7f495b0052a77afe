package io.github.concurrencycourse.common.lesson;

/** Registered in this module's test META-INF/services, to prove ServiceLoader discovery. */
public final class RegisteredTestLesson implements Lesson {

  @Override
  public String id() {
    return "common.registered";
  }

  @Override
  public String title() {
    return "found through ServiceLoader";
  }

  @Override
  public SeedSection seedSection() {
    return SeedSection.THREAD_MUTEX;
  }

  @Override
  public void run(LessonContext context) {
    context.out().println("registered lesson ran with " + context.arguments());
  }
}
