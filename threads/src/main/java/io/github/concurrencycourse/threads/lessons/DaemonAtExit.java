package io.github.concurrencycourse.threads.lessons;

import java.util.concurrent.CountDownLatch;

/**
 * The program that {@link AttributesLesson} runs in a child JVM to show what the daemon flag means
 * at exit: {@code main} starts one worker and returns at once.
 *
 * <p>With {@code daemon} the worker blocks forever, so the child ends only because the JVM does not
 * wait for daemon threads; with {@code non-daemon} the worker sleeps for the given number of
 * milliseconds and prints {@code worker done}, because the JVM waits for it.
 *
 * <p>A program of its own, not a lesson: it prints to its standard output, which the lesson reads
 * from the child process and relays to its own output.
 */
final class DaemonAtExit {

  private DaemonAtExit() {}

  /**
   * Runs the demo.
   *
   * @param args {@code daemon} or {@code non-daemon}, then the non-daemon worker's sleep in
   *     milliseconds
   */
  public static void main(String[] args) throws InterruptedException {
    boolean daemon = args[0].equals("daemon");
    long sleepMillis = Long.parseLong(args[1]);
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Thread worker =
        new Thread(
            () -> {
              System.out.println("worker (daemon=" + daemon + ") is running");
              running.countDown();
              try {
                if (daemon) {
                  never.await();
                } else {
                  Thread.sleep(sleepMillis);
                }
                System.out.println("worker done");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "worker");
    worker.setDaemon(daemon);
    worker.start();
    running.await();
    System.out.println("main returns");
  }
}
