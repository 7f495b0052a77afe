package io.github.concurrencycourse.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.concurrencycourse.common.concurrent.Uninterruptibly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The {@code python3} interpreter, for tests that run the seed's own Python against the course's
 * Java: found or reported missing in one place, and each run bounded in time.
 *
 * <p>A test that needs Python starts with {@link #require()}. Where {@code python3} cannot be run,
 * the test is skipped (aborted, in JUnit's words) with the reason, so a developer without Python
 * sees what was not proven; under continuous integration ({@code CI=true} in the environment) it
 * fails instead, since a CI run that skips proves less than it claims.
 *
 * <pre>{@code
 * String count = Python.require().run(dir, Duration.ofSeconds(30), "-c", "print(1 + 1)");
 * }</pre>
 *
 * <p>Every process gets {@code PYTHONIOENCODING=utf-8}, so the seed's Chinese text crosses its
 * standard streams as UTF-8 whatever the machine's locale. Immutable and thread-safe.
 */
public final class Python {

  /** The interpreter's command, looked up on the {@code PATH}. */
  public static final String COMMAND = "python3";

  private static final Duration PROBE_LIMIT = Duration.ofSeconds(30);

  private final String command;

  private Python(String command) {
    this.command = command;
  }

  /**
   * The {@code python3} on the {@code PATH}, if it runs; otherwise skips the calling test, or fails
   * it under CI ({@code CI=true}), with a message saying why.
   *
   * @throws org.opentest4j.TestAbortedException if {@code python3} cannot be run, outside CI
   * @throws org.opentest4j.AssertionFailedError if {@code python3} cannot be run, under CI
   */
  public static Python require() {
    return require(COMMAND, System.getenv());
  }

  /**
   * As {@link #require()}, for any interpreter {@code command} that answers {@code --version}, in
   * the given {@code environment}: the seam that lets the skip-or-fail rule be tested without
   * uninstalling Python.
   */
  static Python require(String command, Map<String, String> environment) {
    Optional<String> problem = probe(command);
    if (problem.isPresent()) {
      String reason = command + " cannot be run (" + problem.get() + ")";
      if ("true".equalsIgnoreCase(environment.get("CI"))) {
        fail(
            reason
                + "; under CI (CI=true) a test that needs it fails instead of being skipped:"
                + " install "
                + command
                + " (.ci/run does so with apt-get)");
      }
      Assumptions.abort(reason + ": skipped, the seed's Python could not be checked against it");
    }
    return new Python(command);
  }

  /**
   * A builder for the interpreter with {@code arguments}, its standard streams in UTF-8; the caller
   * starts the process and must end it.
   */
  public ProcessBuilder processBuilder(String... arguments) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.command().addAll(List.of(arguments));
    builder.environment().put("PYTHONIOENCODING", "utf-8");
    return builder;
  }

  /**
   * Runs the interpreter with {@code arguments} in {@code directory} and returns what it printed,
   * standard output and error together, decoded as UTF-8 and stripped of leading and trailing white
   * space. Its standard input is empty.
   *
   * @throws AssertionError if it does not end within {@code limit} (it and its children are then
   *     killed), or ends with a non-zero exit code; the message holds what it printed
   * @throws InterruptedException if interrupted while waiting; the process is killed
   */
  public String run(Path directory, Duration limit, String... arguments)
      throws InterruptedException {
    Objects.requireNonNull(directory, "directory");
    Path output = null;
    Process process = null;
    try {
      output = Files.createTempFile("python-output", ".txt");
      process =
          processBuilder(arguments)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      process.getOutputStream().close();
      boolean ended = process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
      if (!ended) {
        kill(process);
      }
      String printed = Files.readString(output, StandardCharsets.UTF_8).strip();
      if (!ended) {
        fail(describe(arguments) + " did not end within " + limit + "; it printed: " + printed);
      }
      if (process.exitValue() != 0) {
        fail(describe(arguments) + " exited with " + process.exitValue() + ": " + printed);
      }
      return printed;
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + describe(arguments), e);
    } finally {
      if (process != null && process.isAlive()) {
        kill(process);
      }
      deleteQuietly(output);
    }
  }

  private String describe(String... arguments) {
    return command + " " + String.join(" ", arguments);
  }

  private static Optional<String> probe(String command) {
    try {
      Process probe =
          new ProcessBuilder(command, "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!probe.waitFor(PROBE_LIMIT.toNanos(), TimeUnit.NANOSECONDS)) {
        kill(probe);
        return Optional.of("'" + command + " --version' did not end within " + PROBE_LIMIT);
      }
      return probe.exitValue() == 0
          ? Optional.empty()
          : Optional.of("'" + command + " --version' exited with " + probe.exitValue());
    } catch (IOException e) {
      return Optional.of("not found on the PATH: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while asking " + command + " for its version");
    }
  }

  /** Kills {@code process} and its descendants and waits, uninterruptibly, for it to end. */
  private static void kill(Process process) {
    // The children are listed first, since once their parent is gone they are no longer its; the
    // parent dies first, so that it cannot print its children's deaths into the output.
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    Uninterruptibly.await(process::waitFor);
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover file in the temp directory is harmless; the run itself is reported above.
    }
  }
}
