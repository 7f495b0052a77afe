package io.github.concurrencycourse.iomodels.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AsyncIoLessonTest {

  @Test
  void handlersRunOnTheGroupsThreadsOncePerCompletion() throws Exception {
    String output = LessonRun.run(new AsyncIoLesson(), Pace.TEST);

    assertThat(output).contains("CLIENT 5 ROUND 3").contains("async-echo-");
    Matcher completions = Pattern.compile("completions so far: (\\d+)").matcher(output);
    assertThat(completions.find()).isTrue();
    // 5 accepts, a read for each of the 15 messages, and a write for each message but each
    // client's last: a connection asks for its next read only once its write has completed, so
    // the writes of rounds 1 and 2 are counted before the reads of rounds 2 and 3, while a client
    // may hold its last reply before the handler of that write has run.
    assertThat(Long.parseLong(completions.group(1))).isGreaterThanOrEqualTo(5 + 15 + 10);
    assertThat(LessonRun.liveThreadNames()).noneMatch(name -> name.startsWith("async-echo"));
  }
}
