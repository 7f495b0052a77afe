package io.github.concurrencycourse.netecho;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.common.echo.EchoServerModel;
import io.github.concurrencycourse.common.echo.EchoServerSettings;
import io.github.concurrencycourse.common.echo.EchoServerSettings.Option;
import java.util.Set;

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
      return new ThreadPerConnectionEchoServer(settings);
    }

    @Override
    public Set<Option> supportedOptions() {
      return ThreadPerConnectionEchoServer.OPTIONS;
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
      return new PooledEchoServer(settings, PoolAdmission.waitInLine());
    }

    @Override
    public Set<Option> supportedOptions() {
      return PooledEchoServer.OPTIONS;
    }
  }

  /** {@code virtual}: {@link VirtualThreadEchoServer}; {@code workers} is refused. */
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
      return new VirtualThreadEchoServer(settings);
    }

    @Override
    public Set<Option> supportedOptions() {
      return VirtualThreadEchoServer.OPTIONS;
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
      return new PreforkEchoServer(settings, false, new PreforkEchoServer.Listener() {});
    }

    @Override
    public Set<Option> supportedOptions() {
      return PreforkEchoServer.OPTIONS;
    }
  }

  /**
   * {@code process-per-connection}: {@link ProcessPerConnectionEchoServer}, the seed's literal
   * model; the connection limit is the most child JVMs at once, {@value
   * ProcessPerConnectionEchoServer#DEFAULT_MAX_CONNECTIONS} by default, and {@code workers} is
   * refused. It prints the seed's lines on standard output as clients come and go.
   */
  public static final class ProcessPerConnection implements EchoServerModel {

    /** Creates the model; called by {@link java.util.ServiceLoader}. */
    public ProcessPerConnection() {}

    @Override
    public String name() {
      return ProcessPerConnectionEchoServer.MODEL;
    }

    @Override
    public String description() {
      return "the parent accepts, a new child JVM serves each connection and exits when the client"
          + " leaves (the seed's Process(target=talk, args=(conn,))); at most "
          + ProcessPerConnectionEchoServer.DEFAULT_MAX_CONNECTIONS
          + " at once unless --max-connections says otherwise";
    }

    @Override
    public EchoServer create(EchoServerSettings settings) {
      return new ProcessPerConnectionEchoServer(
          settings, ProcessPerConnectionEchoServer.Listener.seedLines(System.out));
    }

    @Override
    public Set<Option> supportedOptions() {
      return ProcessPerConnectionEchoServer.OPTIONS;
    }
  }
}
