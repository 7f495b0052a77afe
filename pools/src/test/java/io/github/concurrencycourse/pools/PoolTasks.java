package io.github.concurrencycourse.pools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Tasks the process pool tests run in worker JVMs. */
final class PoolTasks {

  private PoolTasks() {}

  /**
   * A result and the pid of the worker JVM that computed it.
   *
   * @param value the result
   * @param pid the worker's pid
   */
  record Answer(long value, long pid) {}

  /** Squares its argument. */
  static final class Square implements ProcessTask<Long, Answer> {
    @Override
    public Answer run(Long n) {
      return new Answer(n * n, ProcessHandle.current().pid());
    }
  }

  /** Returns {@code null} for {@code null}, else the argument in words. */
  static final class Describe implements ProcessTask<Long, String> {
    @Override
    public String run(Long n) {
      return n == null ? null : "number " + n;
    }
  }

  /** Throws an {@code IllegalStateException} with the argument as its message. */
  static final class Fail implements ProcessTask<String, Answer> {
    @Override
    public Answer run(String message) {
      throw new IllegalStateException(message);
    }
  }

  /** Calls {@code System.exit} with its argument. */
  static final class Exit implements ProcessTask<Integer, Answer> {
    @Override
    public Answer run(Integer status) {
      System.exit(status);
      return null;
    }
  }

  /** Fills the heap until the worker runs out of memory. */
  static final class ExhaustHeap implements ProcessTask<Integer, Answer> {
    @Override
    public Answer run(Integer megabytesPerBlock) {
      List<long[]> hog = new ArrayList<>();
      while (hog.size() < Integer.MAX_VALUE) {
        hog.add(new long[megabytesPerBlock << 17]);
      }
      return new Answer(hog.size(), ProcessHandle.current().pid());
    }
  }

  /**
   * Announces its pid by writing it to the file its argument names (written whole, then renamed
   * into place), then blocks until its worker is killed.
   */
  static final class BlockForever implements ProcessTask<String, Answer> {
    @Override
    public Answer run(String pidFile) throws Exception {
      Path target = Path.of(pidFile);
      Path partial = target.resolveSibling(target.getFileName() + ".partial");
      Files.writeString(partial, Long.toString(ProcessHandle.current().pid()));
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      while (true) {
        Thread.sleep(60_000);
      }
    }
  }

  /**
   * Prints a lot, including text that looks like the channel's messages, on standard output and
   * standard error, then returns its argument.
   */
  static final class Chatty implements ProcessTask<Long, Answer> {
    @Override
    public Answer run(Long n) {
      for (int i = 0; i < 2000; i++) {
        System.out.println("chatty line " + i + " {\"id\":" + i + ",\"result\":666}");
        System.out.write(new byte[] {0, 0, 0, 4, '{', '}', '\n'}, 0, 7);
        System.err.println("chatty error " + i);
      }
      System.out.println("chatty done");
      return new Answer(n, ProcessHandle.current().pid());
    }
  }

  /** A task without a no-argument constructor. */
  static final class NeedsArgument implements ProcessTask<Long, Answer> {
    private final long offset;

    NeedsArgument(long offset) {
      this.offset = offset;
    }

    @Override
    public Answer run(Long n) {
      return new Answer(n + offset, 0);
    }
  }

  /** An argument Jackson can write but not read back: no creator, no setters. */
  static final class WriteOnly {
    private final long value;

    WriteOnly(long value) {
      this.value = value;
    }

    public long getValue() {
      return value;
    }
  }

  /** Takes an argument that cannot be read back. */
  static final class TakesWriteOnly implements ProcessTask<WriteOnly, Answer> {
    @Override
    public Answer run(WriteOnly argument) {
      return new Answer(argument.getValue(), 0);
    }
  }
}
