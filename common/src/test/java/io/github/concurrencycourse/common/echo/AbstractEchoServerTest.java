package io.github.concurrencycourse.common.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The life cycle {@link AbstractEchoServer} implements for every server, shown on a minimal
 * subclass whose {@code bind} a test scripts: what a second start, a close before start, a failed
 * bind, a close during start and an interrupted close do.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AbstractEchoServerTest {

  @Test
  void aBindFailureIsReportedAsABindExceptionWhenTheAddressIsInUse() {
    InetSocketAddress endpoint = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7);
    BindException jdks = new BindException("Address already in use");
    IOException nativeTransports = new IOException("bind(..) failed: Address already in use");
    IOException other = new IOException("Permission denied");
    IllegalStateException notIo = new IllegalStateException("closed");

    assertThat(AbstractEchoServer.bindFailure(endpoint, jdks)).isSameAs(jdks);
    assertThat(AbstractEchoServer.bindFailure(endpoint, nativeTransports))
        .isInstanceOf(BindException.class)
        .hasMessageContaining(endpoint.toString())
        .hasCause(nativeTransports);
    assertThat(AbstractEchoServer.bindFailure(endpoint, other)).isSameAs(other);
    assertThat(AbstractEchoServer.bindFailure(endpoint, notIo))
        .isExactlyInstanceOf(IOException.class)
        .hasCause(notIo);
  }

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final InetSocketAddress ANY_PORT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  /** What a scripted {@code bind} does, given the server (to start threads through it). */
  @FunctionalInterface
  private interface Binding {
    InetSocketAddress bind(ScriptedEchoServer server, InetSocketAddress endpoint)
        throws IOException;
  }

  /** A server whose {@code bind} is scripted and whose {@code release} is counted. */
  private static final class ScriptedEchoServer extends AbstractEchoServer {
    private final Binding binding;
    final AtomicInteger binds = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();
    final CountDownLatch released = new CountDownLatch(1);

    ScriptedEchoServer(Binding binding) {
      this.binding = binding;
    }

    @Override
    protected InetSocketAddress bind(InetSocketAddress endpoint) throws IOException {
      binds.incrementAndGet();
      return binding.bind(this, endpoint);
    }

    @Override
    protected void release() {
      releases.incrementAndGet();
      released.countDown();
    }

    /** Starts a thread through the server's factory that runs until the server is released. */
    Thread startWorker() {
      Thread worker =
          threadFactory(Thread.ofPlatform().name("scripted-worker"))
              .newThread(
                  () -> {
                    try {
                      released.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      worker.start();
      return worker;
    }
  }

  private static InetSocketAddress fakeAddress(ScriptedEchoServer server, InetSocketAddress at) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 4242);
  }

  @Test
  void startsOnceAndClosesOnce() throws Exception {
    ScriptedEchoServer server = new ScriptedEchoServer(AbstractEchoServerTest::fakeAddress);

    assertThat(server.start(ANY_PORT).getPort()).isEqualTo(4242);
    assertThat(server.address().getPort()).isEqualTo(4242);
    assertThatThrownBy(() -> server.start(ANY_PORT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
    assertThat(server.binds).hasValue(1);

    server.close();
    server.close();

    assertThat(server.releases).hasValue(1);
    assertThat(server.address().getPort()).as("the address outlives close").isEqualTo(4242);
    assertThatThrownBy(() -> server.start(ANY_PORT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aServerClosedBeforeItStartsNeverBindsNorReleases() {
    ScriptedEchoServer server = new ScriptedEchoServer(AbstractEchoServerTest::fakeAddress);

    server.close();

    assertThatThrownBy(() -> server.start(ANY_PORT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(server::address).isInstanceOf(IllegalStateException.class);
    assertThat(server.binds).hasValue(0);
    assertThat(server.releases).hasValue(0);
  }

  @Test
  void aFailedBindReleasesWhatItTookWaitsForItsThreadsAndLeavesTheServerClosed() throws Exception {
    AtomicReference<Thread> worker = new AtomicReference<>();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ScriptedEchoServer server =
          new ScriptedEchoServer(
              (self, endpoint) -> {
                worker.set(self.startWorker());
                try (ServerSocket second = new ServerSocket()) {
                  second.bind(endpoint);
                }
                throw new AssertionError("the port was free");
              });

      assertThatThrownBy(() -> server.start((InetSocketAddress) taken.getLocalSocketAddress()))
          .isInstanceOf(BindException.class);

      assertThat(server.releases).hasValue(1);
      assertThat(worker.get().isAlive()).as("the thread bind started").isFalse();
      assertThatThrownBy(() -> server.start(ANY_PORT)).isInstanceOf(IllegalStateException.class);
      server.close();
      assertThat(server.releases).hasValue(1);
    }
  }

  @Test
  void aCloseDuringStartWaitsForTheStartWhichIsUndone() throws Exception {
    CountDownLatch binding = new CountDownLatch(1);
    CountDownLatch finishBinding = new CountDownLatch(1);
    AtomicReference<Thread> worker = new AtomicReference<>();
    ScriptedEchoServer server =
        new ScriptedEchoServer(
            (self, endpoint) -> {
              worker.set(self.startWorker());
              binding.countDown();
              try {
                finishBinding.await();
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
              return fakeAddress(self, endpoint);
            });
    CompletableFuture<InetSocketAddress> start = startInThread(server);
    assertThat(binding.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    Thread closer = Thread.ofPlatform().name("closer").start(server::close);
    await().atMost(WAIT).until(() -> closer.getState() == Thread.State.WAITING);
    assertThat(server.releases).as("released while bind still ran").hasValue(0);
    finishBinding.countDown();
    closer.join(WAIT);

    assertThat(closer.isAlive()).isFalse();
    assertThat(server.releases).hasValue(1);
    assertThat(worker.get().isAlive()).as("the thread bind started").isFalse();
    assertThatThrownBy(() -> start.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed while it started");
  }

  @RepeatedTest(20)
  void aStartRacingACloseEndsClosedWithEverythingReleasedOnce() throws Exception {
    List<Thread> workers = new ArrayList<>();
    ScriptedEchoServer server =
        new ScriptedEchoServer(
            (self, endpoint) -> {
              synchronized (workers) {
                workers.add(self.startWorker());
              }
              return fakeAddress(self, endpoint);
            });
    CyclicBarrier together = new CyclicBarrier(2);
    CompletableFuture<InetSocketAddress> start =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                together.await();
                return server.start(ANY_PORT);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    together.await();
    server.close();
    InetSocketAddress started = start.handle((address, e) -> address).get();
    if (started != null) {
      // The start won; close() came after it and released what it started.
      assertThat(server.releases).hasValue(1);
    }
    server.close();

    assertThat(server.releases).hasValue(server.binds.get());
    assertThatThrownBy(() -> server.start(ANY_PORT)).isInstanceOf(IllegalStateException.class);
    synchronized (workers) {
      assertThat(workers).noneMatch(Thread::isAlive);
    }
  }

  @Test
  void closeWaitsForTheServersThreadsUnlessItIsInterrupted() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    AtomicReference<Thread> worker = new AtomicReference<>();
    ScriptedEchoServer server =
        new ScriptedEchoServer(
            (self, endpoint) -> {
              Thread thread =
                  self.threadFactory(Thread.ofPlatform().name("stuck-worker"))
                      .newThread(
                          () -> {
                            try {
                              stuck.await();
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                          });
              thread.start();
              worker.set(thread);
              return fakeAddress(self, endpoint);
            });
    server.start(ANY_PORT);
    AtomicReference<Boolean> interruptedAfterClose = new AtomicReference<>();
    Thread closer =
        Thread.ofPlatform()
            .name("closer")
            .start(
                () -> {
                  server.close();
                  interruptedAfterClose.set(Thread.currentThread().isInterrupted());
                });
    try {
      await().atMost(WAIT).until(() -> closer.getState() == Thread.State.WAITING);
      assertThat(server.releases).hasValue(1);

      closer.interrupt();
      closer.join(WAIT);

      assertThat(closer.isAlive()).as("close returned once interrupted").isFalse();
      assertThat(interruptedAfterClose.get()).as("the interrupt status is kept").isTrue();
      assertThat(worker.get().isAlive()).as("the thread ends on its own").isTrue();
    } finally {
      stuck.countDown();
      worker.get().join(WAIT);
    }
  }

  @Test
  void closeQuietlySwallowsTheFailureAndIgnoresNull() {
    AbstractEchoServer.closeQuietly(null);
    AtomicInteger closes = new AtomicInteger();

    AbstractEchoServer.closeQuietly(
        () -> {
          closes.incrementAndGet();
          throw new IOException("already broken");
        });

    assertThat(closes).hasValue(1);
  }

  private static CompletableFuture<InetSocketAddress> startInThread(AbstractEchoServer server) {
    CompletableFuture<InetSocketAddress> result = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("starter")
        .start(
            () -> {
              try {
                result.complete(server.start(ANY_PORT));
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }
}
