package io.github.concurrencycourse.iomodels.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class ProcessMetricsTest {

  @Test
  void aDescendantThatHasExitedButIsNotReapedCountsForNothing() throws Exception {
    // The shell starts a child that exits at once, then becomes `sleep`, which never reaps it.
    Process parent = new ProcessBuilder("sh", "-c", "true & exec sleep 30").start();
    try {
      await("a zombie child")
          .atMost(Duration.ofSeconds(10))
          .until(() -> parent.descendants().anyMatch(ProcessMetricsTest::isZombie));

      assertThat(ProcessMetrics.residentKib(parent.pid())).isPositive();
    } finally {
      parent.destroyForcibly().waitFor();
    }
  }

  private static boolean isZombie(ProcessHandle process) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
          .anyMatch(line -> line.startsWith("State:") && line.contains("Z"));
    } catch (IOException e) {
      return false;
    }
  }
}
