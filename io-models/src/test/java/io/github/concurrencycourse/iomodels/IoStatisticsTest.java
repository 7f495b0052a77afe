package io.github.concurrencycourse.iomodels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IoStatisticsTest {

  @Test
  void aNewServerHasDoneNothing() {
    IoStatistics statistics = new IoStatistics();

    assertThat(statistics.events()).isZero();
    assertThat(statistics.bytesReceived()).isZero();
    assertThat(statistics.bytesSent()).isZero();
    assertThat(statistics.bufferedBytes()).isZero();
    assertThat(statistics.pausedConnections()).isZero();
    assertThat(statistics.bufferBytesHeld()).isZero();
    assertThat(statistics.peakBufferBytesHeld()).isZero();
  }

  @Test
  void bufferedBytesAreThoseReadAndNeitherSentNorDiscarded() {
    IoStatistics statistics = new IoStatistics();

    statistics.received(100);
    statistics.received(50);
    statistics.sent(30);
    statistics.discarded(20);

    assertThat(statistics.bytesReceived()).isEqualTo(150);
    assertThat(statistics.bytesSent()).isEqualTo(30);
    assertThat(statistics.bufferedBytes()).isEqualTo(100);
  }

  @Test
  void countsEventsAndConnectionsPausedNow() {
    IoStatistics statistics = new IoStatistics();

    statistics.event();
    statistics.event();
    statistics.event();
    statistics.paused();
    statistics.paused();
    statistics.resumed();

    assertThat(statistics.events()).isEqualTo(3);
    assertThat(statistics.pausedConnections()).isEqualTo(1);
  }

  @Test
  void thePeakIsTheMostEverHeldAndStaysWhenBuffersAreGivenBack() {
    IoStatistics statistics = new IoStatistics();

    statistics.holding(2048);
    statistics.holding(65_536);
    assertThat(statistics.bufferBytesHeld()).isEqualTo(67_584);
    statistics.released(65_536);
    statistics.holding(1024);

    assertThat(statistics.bufferBytesHeld()).isEqualTo(3072);
    assertThat(statistics.peakBufferBytesHeld()).isEqualTo(67_584);
  }

  @Test
  void describesEveryFigure() {
    IoStatistics statistics = new IoStatistics();
    statistics.event();
    statistics.received(10);
    statistics.sent(4);
    statistics.discarded(1);
    statistics.paused();
    statistics.holding(2048);

    assertThat(statistics)
        .hasToString(
            "events 1, received 10 B, sent 4 B, buffered 5 B, paused 1, buffers held 2048 B");
  }
}
