package io.github.concurrencycourse.netecho;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An uppercase-echo server on a fixed pool of worker threads, the seed's {@code
 * ThreadPoolExecutor(3)} with {@code pool.submit(talk, conn)}: at most {@link #poolSize()} clients
 * are served at once. A client that connects while every worker is busy is accepted — its connect
 * succeeds — but nothing it sends comes back until a worker is free; then the connections waiting
 * are served in the order they arrived.
 *
 * <p>{@link PoolAdmission#refuseAfter(Duration)} bounds that wait: a client not taken by a worker
 * within the timeout receives one line saying why it is refused and is disconnected.
 *
 * <p>Honours every option ({@link #OPTIONS}): {@link EchoServerSettings#workers()} is the pool size
 * ({@value #SEED_POOL_SIZE} by default); {@link EchoServerSettings#maxConnections()} bounds the
 * connections held, served and waiting together; the idle timeout and the grace period apply as for
 * every {@link DispatchingEchoServer}.
 *
 * <p>Thread-safe; see {@link DispatchingEchoServer} for the life cycle and the settings.
 */
public final class PooledEchoServer extends DispatchingEchoServer {

  /** The options this server honours: all of them. */
  public static final Set<Option> OPTIONS = Set.of(Option.values());

  /** The seed's pool: {@code ThreadPoolExecutor(3)}. */
  public static final int SEED_POOL_SIZE = 3;

  private static final Logger log = LoggerFactory.getLogger(PooledEchoServer.class);

  private final int poolSize;
  private final PoolAdmission admission;

  private final Object timerLock = new Object();

  @GuardedBy("timerLock")
  private ScheduledThreadPoolExecutor refusals;

  /** The seed's server: three workers, clients beyond them wait in line. */
  public PooledEchoServer() {
    this(EchoServerSettings.DEFAULTS, PoolAdmission.waitInLine());
  }

  /**
   * A server with {@code settings.workersOr(}{@value #SEED_POOL_SIZE}{@code )} workers.
   *
   * @param admission what happens to a client that finds every worker busy
   */
  public PooledEchoServer(EchoServerSettings settings, PoolAdmission admission) {
    super("pool", settings, OPTIONS, false, () -> {});
    this.poolSize = settings.workersOr(SEED_POOL_SIZE);
    this.admission = Objects.requireNonNull(admission, "admission");
  }

  /** How many clients are served at once. */
  public int poolSize() {
    return poolSize;
  }

  /** What happens to a client that finds every worker busy. */
  public PoolAdmission admission() {
    return admission;
  }

  @Override
  ExecutorService newHandlers(String threadPrefix) {
    if (admission.refusalTimeout().isPresent()) {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(
              1, threadFactory(Thread.ofPlatform().name(threadPrefix + "-admission")));
      synchronized (timerLock) {
        refusals = timer;
      }
    }
    return new ThreadPoolExecutor(
        poolSize,
        poolSize,
        0,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        threadFactory(Thread.ofPlatform().name(threadPrefix + "-worker-", 1)));
  }

  @Override
  void dispatch(Connection connection, ExecutorService handlers) {
    handlers.execute(connection);
    Duration timeout = admission.refusalTimeout().orElse(null);
    if (timeout == null) {
      return;
    }
    synchronized (timerLock) {
      // Not cancelled when a worker takes the connection first: the refusal then finds the
      // connection claimed and does nothing.
      ScheduledFuture<?> unused =
          refusals.schedule(
              () -> refuse(connection, (ThreadPoolExecutor) handlers, timeout),
              timeout.toNanos(),
              TimeUnit.NANOSECONDS);
    }
  }

  private void refuse(Connection connection, ThreadPoolExecutor handlers, Duration timeout) {
    String reason =
        "busy: all "
            + poolSize
            + " workers are serving other clients; refused after waiting "
            + timeout.toMillis()
            + " ms";
    if (connection.refuse(reason)) {
      handlers.remove(connection);
      log.info("connection {} refused: {}", connection.number(), reason);
    }
  }

  @Override
  void handlersClosed() throws InterruptedException {
    ScheduledThreadPoolExecutor timer;
    synchronized (timerLock) {
      timer = refusals;
    }
    if (timer != null) {
      timer.shutdownNow();
      timer.awaitTermination(1, TimeUnit.MINUTES);
    }
  }
}
