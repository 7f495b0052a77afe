package io.github.concurrencycourse.common.launch;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Starts workers: tasks that run in a child JVM, the Java counterpart of Python's {@code
 * multiprocessing.Process}. The child runs this JVM's own {@code java} ({@code java.home}) with
 * this JVM's class path, so any class the parent can load, the child can load too. It inherits this
 * JVM's working directory and environment, so a relative path such as the seed's {@code db.txt}
 * names the same file in both. Its standard input carries the launch description and is then
 * closed, as a Python child's is {@code /dev/null}.
 *
 * <p>Both of the seed's styles are supported:
 *
 * <pre>{@code
 * // Process(target=task, args=('子进程1',)).start()
 * WorkerProcess p1 = WorkerLauncher.builder().build().start(Task.class, "子进程1");
 *
 * // MyProcess('子进程1').start(), where MyProcess's fields travel as JSON
 * WorkerProcess p = WorkerLauncher.builder().name("子进程1").build().start(new MyProcess("子进程1"));
 * p.join(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p><b>Daemon workers</b> die with their parent, also when the parent is killed with SIGKILL and
 * has no chance to clean up: the child watches its parent every 100 ms and halts with {@link
 * WorkerProcess#EXIT_ORPHANED} once it is gone. A non-daemon worker outlives a parent that dies
 * without joining it, like any child process.
 *
 * <p><b>Talking to a worker.</b> {@link #startConnected} starts a worker that connects to its
 * parent before its task runs and returns the parent's end of a {@link MessageChannel} with it; the
 * task takes its end with {@link MessageChannel#toParent}. The socket's path travels in the launch
 * description on the child's standard input, in a directory only this user may enter, deleted as
 * soon as the child has connected. A task's standard output stays its own: it never carries
 * messages.
 *
 * <p><b>Failures are never silent.</b> An exception thrown by the task is printed on the child's
 * standard error, ends the child with {@link WorkerProcess#EXIT_FAILED} and reaches the parent as
 * {@link WorkerProcess#failure()}, stack trace included.
 *
 * <p>The configuration is immutable, so one launcher may start any number of workers from any
 * thread. Every worker gets a fresh JVM; expect a few hundred milliseconds to start one.
 */
public final class WorkerLauncher {

  /** How often a daemon child checks that its parent is alive. */
  static final long PARENT_POLL_MILLIS = 100;

  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);

  private static final Logger log = LoggerFactory.getLogger(WorkerLauncher.class);

  /** Numbers unnamed workers, as Python names them Process-1, Process-2, ... */
  private static final AtomicInteger UNNAMED = new AtomicInteger();

  private final String name;
  private final boolean daemon;
  private final WorkerOutput output;
  private final List<String> jvmOptions;
  private final String classPath;
  private final Duration connectTimeout;

  private WorkerLauncher(Builder builder) {
    this.name = builder.name;
    this.daemon = builder.daemon;
    this.output = builder.output;
    this.jvmOptions = List.copyOf(builder.jvmOptions);
    this.classPath = builder.classPath;
    this.connectTimeout = builder.connectTimeout;
  }

  /**
   * A builder with the defaults: unnamed, not a daemon, output inherited, no JVM options, 60
   * seconds for a connected worker to connect.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A launcher like this one whose workers are called {@code name}. */
  public WorkerLauncher withName(String name) {
    return toBuilder().name(name).build();
  }

  /** A builder holding this launcher's configuration. */
  public Builder toBuilder() {
    Builder builder =
        new Builder()
            .daemon(daemon)
            .output(output)
            .jvmOptions(jvmOptions)
            .classPath(classPath)
            .connectTimeout(connectTimeout);
    builder.name = name;
    return builder;
  }

  /**
   * Starts {@code task} in a new child JVM with {@code arguments}, function style. Returns once the
   * child runs; the task may not have started yet.
   *
   * @throws IllegalArgumentException if {@code task} cannot be created by name in another JVM (see
   *     {@link WorkerTask})
   * @throws IOException if the child JVM cannot be started
   */
  public WorkerProcess start(Class<? extends WorkerTask> task, String... arguments)
      throws IOException {
    return start(task, List.of(arguments));
  }

  /** As {@link #start(Class, String...)}. */
  public WorkerProcess start(Class<? extends WorkerTask> task, List<String> arguments)
      throws IOException {
    CreatableByName.require(task, WorkerTask.class);
    return launch(task.getName(), List.copyOf(arguments), null, null);
  }

  /**
   * Starts {@code worker} in a new child JVM, subclass style: its fields are copied to the child as
   * JSON and its {@link Worker#run()} runs there on the copy. Later changes to {@code worker} do
   * not reach the child.
   *
   * @throws IllegalArgumentException if the worker's class cannot be created by name in another JVM
   *     or its fields cannot be written as JSON (see {@link Worker})
   * @throws IOException if the child JVM cannot be started
   */
  public WorkerProcess start(Worker worker) throws IOException {
    return launch(worker.getClass().getName(), List.of(), fields(worker), null);
  }

  /**
   * Starts {@code task} as {@link #start(Class, List)} does, connected: returns once the child JVM
   * has connected to this one, with the parent's end of the channel between them. The child
   * connects before its task runs, and the task takes the other end with {@link
   * MessageChannel#toParent(Class, Class)}, its types the other way round.
   *
   * @param outgoing the type of the messages the parent sends
   * @param incoming the type of the messages the parent receives
   * @throws IllegalArgumentException as {@link #start(Class, List)}
   * @throws WorkerStartException if the child JVM exits before it connects, or does not connect
   *     within {@linkplain Builder#connectTimeout the connect timeout} (it is then killed)
   * @throws IOException if the child JVM or the channel's socket cannot be created
   * @throws InterruptedException if interrupted while waiting for the child; it is killed
   */
  public <O, I> ConnectedWorker<O, I> startConnected(
      Class<? extends WorkerTask> task,
      List<String> arguments,
      Class<O> outgoing,
      Class<I> incoming)
      throws IOException, InterruptedException {
    CreatableByName.require(task, WorkerTask.class);
    return connect(task.getName(), List.copyOf(arguments), null, outgoing, incoming);
  }

  /**
   * Starts {@code worker} as {@link #start(Worker)} does, connected, as {@link
   * #startConnected(Class, List, Class, Class)} describes.
   *
   * @throws IllegalArgumentException as {@link #start(Worker)}
   * @throws WorkerStartException if the child JVM exits before it connects, or does not connect in
   *     time
   * @throws IOException if the child JVM or the channel's socket cannot be created
   * @throws InterruptedException if interrupted while waiting for the child; it is killed
   */
  public <O, I> ConnectedWorker<O, I> startConnected(
      Worker worker, Class<O> outgoing, Class<I> incoming)
      throws IOException, InterruptedException {
    return connect(worker.getClass().getName(), List.of(), fields(worker), outgoing, incoming);
  }

  private static ObjectNode fields(Worker worker) {
    Class<? extends Worker> type = worker.getClass();
    CreatableByName.require(type, Worker.class);
    try {
      return LaunchSpec.WORKER_FIELDS.valueToTree(worker);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "the fields of " + type.getName() + " cannot travel as JSON: " + e.getOriginalMessage(),
          e);
    }
  }

  private <O, I> ConnectedWorker<O, I> connect(
      String className,
      List<String> arguments,
      ObjectNode state,
      Class<O> outgoing,
      Class<I> incoming)
      throws IOException, InterruptedException {
    ChannelServer<O, I> server = ChannelServer.open(outgoing, incoming);
    WorkerProcess process = null;
    try {
      process = launch(className, arguments, state, server.socketPath());
      MessageChannel<O, I> channel = server.acceptFrom(process, connectTimeout);
      try {
        server.close();
      } catch (IOException e) {
        channel.close();
        throw e;
      }
      return new ConnectedWorker<>(process, channel);
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (process != null) {
        process.close();
      }
      try {
        server.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return "WorkerLauncher[name="
        + (name == null ? "(numbered)" : name)
        + ", daemon="
        + daemon
        + ", output="
        + output
        + ", jvmOptions="
        + jvmOptions
        + ", connectTimeout="
        + connectTimeout
        + "]";
  }

  private WorkerProcess launch(
      String className, List<String> arguments, ObjectNode state, Path channel) throws IOException {
    String workerName = name != null ? name : "Worker-" + UNNAMED.incrementAndGet();
    Path failureFile =
        Path.of(System.getProperty("java.io.tmpdir"), "worker-" + UUID.randomUUID() + ".failure");
    LaunchSpec spec =
        new LaunchSpec(
            workerName,
            ProcessHandle.current().pid(),
            daemon,
            failureFile.toString(),
            className,
            arguments,
            state,
            channel == null ? null : channel.toString());
    byte[] specJson = LaunchSpec.PROTOCOL.writeValueAsBytes(spec);

    ProcessBuilder builder = new ProcessBuilder(command());
    if (output.sink().isEmpty()) {
      builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    }
    Process process = builder.start();
    WorkerProcess worker = WorkerProcess.attach(workerName, process, failureFile, output);
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(specJson);
    } catch (IOException e) {
      // The child is gone before reading what to run: a JVM option it rejected, for example. Its
      // exit code and standard error say why; the caller sees them through the WorkerProcess.
      log.debug("worker {} did not read its launch description", workerName, e);
    }
    return worker;
  }

  private List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    String encoding =
        output.sink().isPresent()
            ? StandardCharsets.UTF_8.name()
            : System.getProperty("stdout.encoding", StandardCharsets.UTF_8.name());
    // Without this a child whose output is a pipe encodes it in the platform's default charset,
    // ASCII in a bare container, and the seed's Chinese names arrive as question marks.
    command.add("-Dstdout.encoding=" + encoding);
    command.add("-Dstderr.encoding=" + encoding);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath);
    command.add(WorkerMain.class.getName());
    return command;
  }

  private static String javaExecutable() {
    boolean windows = File.separatorChar == '\\';
    return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java")
        .toString();
  }

  /** Configures a {@link WorkerLauncher}. Not thread-safe; the launcher it builds is. */
  public static final class Builder {

    private String name;
    private boolean daemon;
    private WorkerOutput output = WorkerOutput.inherit();
    private final List<String> jvmOptions = new ArrayList<>();
    private String classPath = System.getProperty("java.class.path");
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

    private Builder() {}

    /**
     * The name of the workers, shown in their output prefix and as the name of their main thread.
     * Unnamed workers are called {@code Worker-1}, {@code Worker-2}, ...
     */
    public Builder name(String name) {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("a worker name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** Whether the workers die with this JVM, however it dies. Default {@code false}. */
    public Builder daemon(boolean daemon) {
      this.daemon = daemon;
      return this;
    }

    /** Where the workers' output goes. Default {@link WorkerOutput#inherit()}. */
    public Builder output(WorkerOutput output) {
      this.output = Objects.requireNonNull(output, "output");
      return this;
    }

    /**
     * Options for the child JVMs, such as {@code -Xmx64m} or {@code -Dkey=value}; replaces any set
     * before.
     */
    public Builder jvmOptions(List<String> options) {
      List<String> copy = List.copyOf(options);
      jvmOptions.clear();
      jvmOptions.addAll(copy);
      return this;
    }

    /** As {@link #jvmOptions(List)}. */
    public Builder jvmOptions(String... options) {
      return jvmOptions(List.of(options));
    }

    /**
     * The class path of the child JVMs. Default: this JVM's {@code java.class.path}, which holds
     * every class this JVM loaded from its class path.
     */
    public Builder classPath(String classPath) {
      if (Objects.requireNonNull(classPath, "classPath").isBlank()) {
        throw new IllegalArgumentException("class path must not be blank");
      }
      this.classPath = classPath;
      return this;
    }

    /**
     * How long {@link WorkerLauncher#startConnected} waits for a child JVM to connect, which it
     * does as soon as it has started and read its launch description. Default 60 seconds, for a
     * busy machine; a child that has not connected by then is killed.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Builder connectTimeout(Duration timeout) {
      if (!Objects.requireNonNull(timeout, "timeout").isPositive()) {
        throw new IllegalArgumentException("connect timeout must be positive, got " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /** A launcher with this configuration; the builder may be reused. */
    public WorkerLauncher build() {
      return new WorkerLauncher(this);
    }
  }
}
