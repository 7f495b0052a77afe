package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerSettings;

/**
 * The {@link EchoServerModel}s of this module, registered with {@link java.util.ServiceLoader} so
 * that {@code course serve echo --model NAME} finds them. Each maps {@link EchoServerSettings} onto
 * its server's options: {@code maxConnections} and {@code idleTimeout} as {@link
 * EchoServerOptions#from} does, and {@code workers} as each model says.
 *
 * <p>The models are stateless and thread-safe.
 */
public final class NetEchoModels {

  private NetEchoModels() {}

  /** {@code threads}: {@link ThreadPerConnectionEchoServer}; {@code workers} is ignored. */
  public static final class Threads implements EchoServerModel {

    /** Creates the model; called by {@link java.util.ServiceLoader}. */
    public Threads() {}

    @Override
    public String name() {
      return "threads";
    }

    @Override
    public String description() {
      return "a platform thread per connection (the seed's Thread(target=talk))";
    }

    @Override
    public EchoServer create(EchoServerSettings settings) {
      return new ThreadPerConnectionEchoServer(EchoServerOptions.from(settings));
    }
  }

  /** {@code pool}: {@link PooledEchoServer}; {@code workers} is the pool size, 3 by default. */
  public static final class Pool implements EchoServerModel {

    /** Creates the model; called by {@link java.util.ServiceLoader}. */
    public Pool() {}

    @Override
    public String name() {
      return "pool";
    }

    @Override
    public String description() {
      return "a fixed pool of worker threads, clients beyond it wait in line"
          + " (the seed's ThreadPoolExecutor(3))";
    }

    @Override
    public EchoServer create(EchoServerSettings settings) {
      return new PooledEchoServer(
          settings.workersOr(PooledEchoServer.SEED_POOL_SIZE),
          EchoServerOptions.from(settings),
          PoolAdmission.waitInLine());
    }
  }

  /** {@code virtual}: {@link VirtualThreadEchoServer}; {@code workers} is ignored. */
  public static final class Virtual implements EchoServerModel {

    /** Creates the model; called by {@link java.util.ServiceLoader}. */
    public Virtual() {}

    @Override
    public String name() {
      return "virtual";
    }

    @Override
    public String description() {
      return "a virtual thread per connection";
    }

    @Override
    public EchoServer create(EchoServerSettings settings) {
      return new VirtualThreadEchoServer(EchoServerOptions.from(settings));
    }
  }

  /**
   * {@code prefork}: {@link PreforkEchoServer}; {@code workers} is the number of worker JVMs, 2 by
   * default, and the connection limit applies per worker.
   */
  public static final class Prefork implements EchoServerModel {

    /** Creates the model; called by {@link java.util.ServiceLoader}. */
    public Prefork() {}

    @Override
    public String name() {
      return "prefork";
    }

    @Override
    public String description() {
      return "worker JVMs sharing the port with SO_REUSEPORT, a thread per connection in each"
          + " (the seed's process per client)";
    }

    @Override
    public EchoServer create(EchoServerSettings settings) {
      return new PreforkEchoServer(
          settings.workersOr(PreforkEchoServer.DEFAULT_WORKERS),
          false,
          EchoServerOptions.from(settings),
          new PreforkEchoServer.Listener() {});
    }
  }
}
