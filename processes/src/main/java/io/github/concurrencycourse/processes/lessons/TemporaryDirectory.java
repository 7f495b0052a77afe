package io.github.concurrencycourse.processes.lessons;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh temporary directory for one lesson run, deleted with everything in it on {@link
 * #close()}. Close it only after the children that use it have exited.
 */
final class TemporaryDirectory implements AutoCloseable {

  private final Path path;

  private TemporaryDirectory(Path path) {
    this.path = path;
  }

  /** Creates a new directory whose name starts with {@code prefix}. */
  static TemporaryDirectory create(String prefix) throws IOException {
    return new TemporaryDirectory(Files.createTempDirectory(prefix));
  }

  /** {@code name} inside the directory. */
  Path resolve(String name) {
    return path.resolve(name);
  }

  /** Deletes the directory and everything in it. */
  @Override
  public void close() throws IOException {
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path file : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
