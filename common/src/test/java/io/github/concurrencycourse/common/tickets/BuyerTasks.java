package io.github.concurrencycourse.common.tickets;

import io.github.concurrencycourse.common.launch.Contenders.Contender;
import io.github.concurrencycourse.common.launch.WorkerTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** The buyers that {@link TicketStoreProcessTest} runs in child JVMs. */
final class BuyerTasks {

  private BuyerTasks() {}

  /**
   * A contender (see {@code Contenders}): waits for the start signal, then every thread tries to
   * buy that many tickets. Each success prints {@code sold <ticket>}, and the end {@code bought
   * <n>}. Arguments: file, initial count, buyer, threads, attempts per thread.
   */
  static final class BuyTickets implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      String buyer = arguments.get(2);
      int threads = Integer.parseInt(arguments.get(3));
      int attempts = Integer.parseInt(arguments.get(4));
      try (Contender parent = Contender.connect()) {
        TicketStore store =
            TicketStore.open(Path.of(arguments.get(0)), Integer.parseInt(arguments.get(1)));
        parent.awaitStart();
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
  }

  /**
   * A buyer watched by the parent, a contender (see {@code Contenders}): waits for the start
   * signal, then buys tickets one after another; every purchase stops inside the lock, between
   * writing the new count and committing it, to say so and wait until the parent lets it go. Prints
   * {@code sold <ticket>} for each. Arguments: file, buyer, purchases.
   */
  static final class BuyUnderWatch implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      try (Contender parent = Contender.connect()) {
        TicketStore store = TicketStore.open(Path.of(arguments.get(0)), 0, () -> entered(parent));
        parent.awaitStart();
        for (int i = 0; i < Integer.parseInt(arguments.get(2)); i++) {
          Purchase purchase = store.buy(arguments.get(1));
          if (!purchase.bought()) {
            throw new IllegalStateException("sold out; the test gives every buyer a ticket");
          }
          System.out.println("sold " + purchase.ticket());
        }
      }
    }
  }

  /**
   * The seed's unsafe buyer, a contender (see {@code Contenders}): waits for the start signal, then
   * buys one ticket without the lock, saying between reading the count and writing it back that it
   * is inside and waiting until the parent lets it go; prints {@code sold <ticket>}. Arguments:
   * file, buyer.
   */
  static final class BuyWithoutLock implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      try (Contender parent = Contender.connect()) {
        TicketStore store = TicketStore.open(Path.of(arguments.get(0)), 0);
        parent.awaitStart();
        Purchase purchase = store.buyWithoutLock(arguments.get(1), () -> entered(parent));
        if (purchase.bought()) {
          System.out.println("sold " + purchase.ticket());
        }
      }
    }
  }

  private static void entered(Contender parent) throws InterruptedException {
    try {
      parent.entered();
    } catch (IOException e) {
      throw new UncheckedIOException("the parent is gone", e);
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
