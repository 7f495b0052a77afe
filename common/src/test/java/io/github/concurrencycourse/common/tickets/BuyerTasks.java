package io.github.concurrencycourse.common.tickets;

import io.github.concurrencycourse.common.launch.WorkerTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** The buyers that {@link TicketStoreProcessTest} runs in child JVMs. */
final class BuyerTasks {

  private BuyerTasks() {}

  /**
   * Arguments: file, initial count, buyer, threads, attempts per thread. Every thread tries to buy
   * that many tickets; each success prints {@code sold <ticket>}, and the end {@code bought <n>}.
   */
  static final class BuyTickets implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      TicketStore store =
          TicketStore.open(Path.of(arguments.get(0)), Integer.parseInt(arguments.get(1)));
      String buyer = arguments.get(2);
      int threads = Integer.parseInt(arguments.get(3));
      int attempts = Integer.parseInt(arguments.get(4));
      AtomicInteger bought = new AtomicInteger();
      List<Thread> started = new ArrayList<>();
      List<Throwable> errors = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String name = buyer + "-" + t;
        started.add(
            Thread.ofPlatform()
                .name(name)
                .start(
                    () -> {
                      try {
                        for (int i = 0; i < attempts; i++) {
                          Purchase purchase = store.buy(name);
                          if (purchase.bought()) {
                            bought.incrementAndGet();
                            System.out.println("sold " + purchase.ticket());
                          }
                        }
                      } catch (Exception e) {
                        synchronized (errors) {
                          errors.add(e);
                        }
                      }
                    }));
      }
      for (Thread thread : started) {
        thread.join();
      }
      synchronized (errors) {
        if (!errors.isEmpty()) {
          IllegalStateException failure = new IllegalStateException("a buyer thread failed");
          errors.forEach(failure::addSuppressed);
          throw failure;
        }
      }
      System.out.println("bought " + bought.get());
    }
  }

  /**
   * Argument: file. Buys one ticket but stops for good between writing the new content to its
   * temporary file and renaming it over the data file, after printing {@code paused}.
   */
  static final class StopBeforeRename implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      CountDownLatch never = new CountDownLatch(1);
      TicketStore store =
          TicketStore.open(
              Path.of(arguments.get(0)),
              0,
              () -> {
                System.out.println("paused");
                never.await();
              });
      store.buy("doomed");
      throw new IllegalStateException("the rename was not supposed to happen");
    }
  }

  /** Argument: file. Buys ticket after ticket, printing {@code sold <ticket>}, until killed. */
  static final class BuyUntilKilled implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      TicketStore store = TicketStore.open(Path.of(arguments.get(0)), 0);
      while (true) {
        Purchase purchase = store.buy("buyer");
        if (!purchase.bought()) {
          throw new IllegalStateException("sold out before being killed");
        }
        System.out.println("sold " + purchase.ticket());
      }
    }
  }
}
