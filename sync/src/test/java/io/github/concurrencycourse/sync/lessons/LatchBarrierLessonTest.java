package io.github.concurrencycourse.sync.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LatchBarrierLessonTest {

  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void latchesAndBarrierLetNobodyThroughEarlyAndSellThreeTickets() throws InterruptedException {
    for (int run = 0; run < 20; run++) {
      assertThat(LatchBarrierLesson.story(NOWHERE, new Pace(0.001), false))
          .isEqualTo(new LatchBarrierLesson.Outcome(3, 0, 0, 1));
    }
  }

  @Test
  void onePhaserDoesTheSame() throws InterruptedException {
    for (int run = 0; run < 20; run++) {
      assertThat(LatchBarrierLesson.story(NOWHERE, new Pace(0.001), true))
          .isEqualTo(new LatchBarrierLesson.Outcome(3, 0, 0, 1));
    }
  }

  @Test
  void theLessonTellsTheStoryTwiceAndThePhaserEndsWithNoParty() throws Exception {
    String output = LessonRun.run(new LatchBarrierLesson(), Pace.TEST);

    assertThat(output.split("everybody has searched: buying starts", -1)).hasSize(3);
    assertThat(output.split("购票成功!", -1)).hasSize(7);
    assertThat(output.split("购票失败!", -1)).hasSize(15);
    assertThat(output)
        .contains("phaser: phase 0 over, 10 parties registered")
        .contains("phaser: phase 2 over, 0 parties registered")
        .contains("phaser terminated: true");
    assertThat(
            output.split("3 tickets sold; 0 users passed before the window opened; 0 bought", -1))
        .hasSize(3);
  }
}
