package io.github.concurrencycourse.common.lesson;

/** Registered in this module's test META-INF/services, to prove ServiceLoader discovery. */
public final class RegisteredTestLesson extends AbstractLesson {

  public RegisteredTestLesson() {
    super("common.registered", "found through ServiceLoader", SeedSection.THREAD_MUTEX);
  }

  @Override
  public void run(LessonContext context) {
    context.out().println("registered lesson ran with " + context.arguments());
  }
}
