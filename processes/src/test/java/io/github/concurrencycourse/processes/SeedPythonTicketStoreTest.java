package io.github.concurrencycourse.processes;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.tickets.TicketStore;
import io.github.concurrencycourse.testkit.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ticket rush's {@code db.txt} between the seed's Python and our {@link TicketStore}: each
 * reads what the other wrote. Where {@code python3} is not installed, skipped with a message saying
 * so, or failed under CI ({@link Python#require()}).
 */
@Timeout(60)
class SeedPythonTicketStoreTest {

  private static final Duration PYTHON_LIMIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private Python python;

  @BeforeEach
  void requirePython() {
    python = Python.require();
  }

  @Test
  void readsTheSeedsOwnBytesAndWritesWhatTheSeedsPythonReads() throws Exception {
    // json.dump({'count': 3}, f) writes exactly this.
    Files.writeString(db(), "{\"count\": 3}");
    TicketStore store = TicketStore.open(db(), 3);
    store.buy("用户0");

    assertThat(
            python("import json; print(json.load(open('db.txt', 'r', encoding='utf-8'))['count'])"))
        .isEqualTo("2");
  }

  @Test
  void aFileWrittenByPythonIsReadBack() throws Exception {
    python(
        "import json; json.dump({'count': 5, 'event': '演唱会'},"
            + " open('db.txt', 'w', encoding='utf-8'), ensure_ascii=False)");

    TicketStore store = TicketStore.open(db(), 3);

    assertThat(store.remaining()).isEqualTo(5);
    assertThat(store.buy("用户0").ticket()).isEqualTo(5);
    assertThat(
            python("import json; print(json.load(open('db.txt', 'r', encoding='utf-8'))['event'])"))
        .isEqualTo("演唱会");
  }

  private Path db() {
    return dir.resolve("db.txt");
  }

  /** Runs a line of Python in the store's directory, as the seed runs there; returns its output. */
  private String python(String code) throws InterruptedException {
    return python.run(dir, PYTHON_LIMIT, "-c", code);
  }
}
