package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.AbstractEchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerSettings;

/**
 * The {@link EchoServerModel}s of this module, registered with {@link java.util.ServiceLoader} so
 * that {@code course serve echo --model NAME} finds them. Each hands the {@link EchoServerSettings}
 * to its server, which honours the options its model lists and refuses the others.
 *
 * <p>The models are stateless and thread-safe.
 */
public final class NetEchoModels {

  private NetEchoModels() {}

  /** {@code threads}: {@link ThreadPerConnectionEchoServer}; {@code workers} is refused. */
  public static final class Threads extends AbstractEchoServerModel {

    public Threads() {
      super(
          "threads",
          "a platform thread per connection (the seed's Thread(target=talk))",
          ThreadPerConnectionEchoServer.OPTIONS,
          ThreadPerConnectionEchoServer::new);
    }
  }

  /** {@code pool}: {@link PooledEchoServer}; {@code workers} is the pool size, 3 by default. */
  public static final class Pool extends AbstractEchoServerModel {

    public Pool() {
      super(
          "pool",
          "a fixed pool of worker threads, clients beyond it wait in line"
              + " (the seed's ThreadPoolExecutor(3))",
          PooledEchoServer.OPTIONS,
          settings -> new PooledEchoServer(settings, PoolAdmission.waitInLine()));
    }
  }

  /** {@code virtual}: {@link VirtualThreadEchoServer}; {@code workers} is refused. */
  public static final class Virtual extends AbstractEchoServerModel {

    public Virtual() {
      super(
          "virtual",
          "a virtual thread per connection",
          VirtualThreadEchoServer.OPTIONS,
          VirtualThreadEchoServer::new);
    }
  }

  /**
   * {@code prefork}: {@link PreforkEchoServer}; {@code workers} is the number of worker JVMs, 2 by
   * default, and the connection limit applies per worker.
   */
  public static final class Prefork extends AbstractEchoServerModel {

    public Prefork() {
      super(
          "prefork",
          "worker JVMs sharing the port with SO_REUSEPORT, a thread per connection in each"
              + " (the seed's process per client)",
          PreforkEchoServer.OPTIONS,
          settings -> new PreforkEchoServer(settings, false, new PreforkEchoServer.Listener() {}));
    }
  }

  /**
   * {@code process-per-connection}: {@link ProcessPerConnectionEchoServer}, the seed's literal
   * model; the connection limit is the most child JVMs at once, {@value
   * ProcessPerConnectionEchoServer#DEFAULT_MAX_CONNECTIONS} by default, and {@code workers} is
   * refused. It prints the seed's lines on standard output as clients come and go.
   */
  public static final class ProcessPerConnection extends AbstractEchoServerModel {

    public ProcessPerConnection() {
      super(
          ProcessPerConnectionEchoServer.MODEL,
          "the parent accepts, a new child JVM serves each connection and exits when the client"
              + " leaves (the seed's Process(target=talk, args=(conn,))); at most "
              + ProcessPerConnectionEchoServer.DEFAULT_MAX_CONNECTIONS
              + " at once unless --max-connections says otherwise",
          ProcessPerConnectionEchoServer.OPTIONS,
          settings ->
              new ProcessPerConnectionEchoServer(
                  settings, ProcessPerConnectionEchoServer.Listener.seedLines(System.out)));
    }
  }
}
