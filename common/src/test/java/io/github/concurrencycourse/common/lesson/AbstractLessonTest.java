package io.github.concurrencycourse.common.lesson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AbstractLessonTest {

  @Test
  void reportsTheIdentityItWasConstructedWith() {
    Lesson lesson = new RegisteredTestLesson();

    assertThat(lesson.id()).isEqualTo("common.registered");
    assertThat(lesson.title()).isEqualTo("found through ServiceLoader");
    assertThat(lesson.seedSection()).isEqualTo(SeedSection.THREAD_MUTEX);
    assertThat(lesson.module()).isEqualTo("common");
    assertThat(lesson.beyondTheSeed()).isFalse();
    assertThat(lesson.interactive()).isFalse();
    assertThat(lesson).hasToString("common.registered");
  }

  @Test
  void aLessonBeyondTheSeedFollowsTheSectionItNames() {
    Lesson lesson =
        new PlacedBeyond(
            "sync.read-write", AbstractLesson.beyondTheSeedAfter(SeedSection.WITH_LOCK));

    assertThat(lesson.seedSection()).isEqualTo(SeedSection.WITH_LOCK);
    assertThat(lesson.beyondTheSeed()).isTrue();
    assertThatThrownBy(() -> new PlacedBeyond("sync.read-write", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("placement");
    assertThatThrownBy(() -> AbstractLesson.beyondTheSeedAfter(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("section");
  }

  @Test
  void rejectsAMissingPartOfTheIdentityNamingIt() {
    assertThatThrownBy(() -> new ChosenIdentity(null, "title", SeedSection.EVENT))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("id");
    assertThatThrownBy(() -> new ChosenIdentity("sync.event", null, SeedSection.EVENT))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("title");
    assertThatThrownBy(() -> new ChosenIdentity("sync.event", "title", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("seedSection");
  }

  /** A lesson whose identity the test chooses. */
  private static final class ChosenIdentity extends AbstractLesson {

    ChosenIdentity(String id, String title, SeedSection seedSection) {
      super(id, title, seedSection);
    }

    @Override
    public void run(LessonContext context) {
      context.out().println(id());
    }
  }

  /** A lesson beyond the seed, placed where the test says. */
  private static final class PlacedBeyond extends AbstractLesson {

    PlacedBeyond(String id, BeyondTheSeed placement) {
      super(id, "beyond the seed", placement);
    }

    @Override
    public void run(LessonContext context) {
      context.out().println(id());
    }
  }
}
