package io.github.concurrencycourse.threads.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OneCarrierReportTest {

  @Test
  void readsBackWhatTheDemoPrintsAndIgnoresOtherLines() {
    List<String> lines =
        List.of(
            "-- 2. 10000 tasks that block, on virtual threads",
            OneCarrierReport.formatBlocking(
                List.of("ForkJoinPool-1-worker-1"),
                10_000,
                Duration.ofSeconds(1),
                9_876,
                Duration.ofMillis(1_234)),
            OneCarrierReport.formatCpu("straight", 100, 1, 3, Duration.ofNanos(12_345_678)),
            OneCarrierReport.formatCpu("switched", 100, 199, 3, Duration.ofMillis(50)),
            OneCarrierReport.formatPinned("sleep inside synchronized", Optional.empty()),
            OneCarrierReport.formatPinned(
                "sleep inside a class initializer", Optional.of("VM call to X.<clinit> on stack")));

    OneCarrierReport report = OneCarrierReport.parse(lines);

    assertThat(report.carriers()).containsExactly("ForkJoinPool-1-worker-1");
    assertThat(report.tasks()).isEqualTo(10_000);
    assertThat(report.task()).isEqualTo(Duration.ofSeconds(1));
    assertThat(report.mostBlockedAtOnce()).isEqualTo(9_876);
    assertThat(report.wall()).isEqualTo(Duration.ofMillis(1_234));
    assertThat(report.wallInTaskTimes()).isEqualTo(1.234);
    assertThat(report.straight())
        .isEqualTo(new OneCarrierReport.CpuRun(1, Duration.ofNanos(12_345_000)));
    assertThat(report.switched())
        .isEqualTo(new OneCarrierReport.CpuRun(199, Duration.ofMillis(50)));
    assertThat(report.pinnedBy().keySet())
        .containsExactly("sleep inside synchronized", "sleep inside a class initializer");
    assertThat(report.pinnedBy().get("sleep inside synchronized")).isEmpty();
    assertThat(report.pinnedBy().get("sleep inside a class initializer"))
        .contains("VM call to X.<clinit> on stack");
  }

  @Test
  void anIncompleteReportIsAnError() {
    List<String> lines =
        List.of(OneCarrierReport.formatCpu("straight", 100, 1, 3, Duration.ofMillis(1)));

    assertThatThrownBy(() -> OneCarrierReport.parse(lines))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("incomplete");
  }
}
