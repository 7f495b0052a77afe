package io.github.concurrencycourse.pools;

/**
 * A task for a {@link ProcessPool}: the seed's {@code pool.submit(task, arg)} where {@code task}
 * runs in another JVM. A Java lambda cannot be named in another JVM, so the task travels as a class
 * name and its argument and result as JSON (Jackson 3).
 *
 * <p>An implementation must be a top-level or static nested class with a no-argument constructor
 * (of any visibility), on the class path of the worker JVMs, and must implement this interface with
 * concrete type arguments ({@code implements ProcessTask<PrimeRange, Long>}), which tell the worker
 * what to read the argument as and the pool what to read the result as. A fresh instance is created
 * in the worker for every task, so fields do not carry state from one task to the next; static
 * fields do, since a worker runs many tasks.
 *
 * @param <A> the argument, which Jackson must be able to write and read (a record of plain data is
 *     ideal)
 * @param <R> the result, likewise
 */
public interface ProcessTask<A, R> {

  /**
   * Runs in a worker JVM. What it prints goes to the worker's output, never into the pool's
   * protocol. {@code System.exit}, a fatal signal or an {@link OutOfMemoryError} ends the worker:
   * the task's future then fails with a {@link WorkerDiedException} and the pool starts a new
   * worker.
   *
   * @param argument a copy of the argument given to {@link ProcessPool#submit(Class, Object)}
   * @return the result, copied back to the parent as JSON
   * @throws Exception anything; the future fails with a {@link RemoteTaskException} holding its
   *     stack trace, and the worker goes on serving
   */
  R run(A argument) throws Exception;
}
