package io.github.concurrencycourse.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadSnapshotTest {

  @Test
  void reportsPlatformAndVirtualThreadsStartedSinceAndStillAlive() throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();
    CountDownLatch release = new CountDownLatch(1);
    Thread platform = Thread.ofPlatform().name("left-behind-platform").start(() -> await(release));
    Thread virtual = Thread.ofVirtual().name("left-behind-virtual").start(() -> await(release));
    try {
      assertThat(before.startedSince())
          .anyMatch(d -> d.startsWith("platform thread left-behind-platform (#"))
          .anyMatch(d -> d.startsWith("virtual thread left-behind-virtual (#"));
      assertThat(before.startedSince(name -> name.startsWith("left-behind-"))).isEmpty();
    } finally {
      release.countDown();
      platform.join();
      virtual.join();
    }

    assertThat(before.startedSince()).isEmpty();
  }

  @Test
  void ignoresTheJvmsOwnThreadsAndTheCaller() throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();

    // Carrier threads of virtual threads and common-pool workers stay after the work is done.
    Thread.ofVirtual().start(() -> {}).join();
    CompletableFuture.runAsync(() -> {}, ForkJoinPool.commonPool()).get();
    CompletableFuture<List<String>> fromNewThread = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> fromNewThread.complete(before.startedSince())).join();

    assertThat(before.startedSince()).isEmpty();
    assertThat(fromNewThread.get()).as("the calling thread is not a leak").isEmpty();
  }

  @Test
  void reportsAChildProcessStillRunning() throws Exception {
    ThreadSnapshot before = ThreadSnapshot.take();
    Process child = new ProcessBuilder("sleep", "30").start();
    try {
      assertThat(before.startedSince()).anyMatch(d -> d.startsWith("child process " + child.pid()));
    } finally {
      child.destroyForcibly().waitFor();
    }

    assertThat(before.startedSince()).noneMatch(d -> d.startsWith("child process"));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
