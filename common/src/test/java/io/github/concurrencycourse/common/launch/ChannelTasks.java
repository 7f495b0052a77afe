package io.github.concurrencycourse.common.launch;

import static io.github.concurrencycourse.common.launch.ChannelMessages.header;
import static io.github.concurrencycourse.common.launch.ChannelMessages.writeAll;

import io.github.concurrencycourse.common.launch.ChannelMessages.Answer;
import io.github.concurrencycourse.common.launch.ChannelMessages.Order;
import io.github.concurrencycourse.common.launch.ChannelMessages.Sold;
import io.github.concurrencycourse.common.launch.ChannelMessages.SoldOut;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;

/** The tasks that {@link ConnectedWorkerTest} runs in connected child JVMs. */
final class ChannelTasks {

  private ChannelTasks() {}

  /**
   * Sells tickets counting down from the first argument, one answer per order, until the parent
   * hangs up. Prints lines that look like frames, which must not disturb the channel.
   */
  static final class Seller implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws Exception {
      sell(Integer.parseInt(arguments.get(0)));
    }

    static void sell(int tickets) throws IOException, InterruptedException {
      try (MessageChannel<Answer, Order> parent =
          MessageChannel.toParent(Answer.class, Order.class)) {
        int left = tickets;
        for (Optional<Order> order = parent.receive();
            order.isPresent();
            order = parent.receive()) {
          System.out.println("\u0000\u0000\u0000\u0010{\"buyer\":\"noise\"}");
          String buyer = order.get().buyer();
          parent.send(left > 0 ? new Sold(buyer, left--) : new SoldOut(buyer));
        }
        System.out.println("parent hung up");
      }
    }
  }

  /** {@link Seller} in the subclass style: the count of tickets travels as a field. */
  static final class SellerProcess extends Worker {
    private int tickets;

    private SellerProcess() {}

    SellerProcess(int tickets) {
      this.tickets = tickets;
    }

    @Override
    protected void run() throws Exception {
      Seller.sell(tickets);
    }
  }

  /** Writes the start of a frame of 1000 bytes to the parent and dies with exit code 7. */
  static final class DiesMidFrame implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws IOException {
      SocketChannel raw = ParentConnection.claim().socket();
      writeAll(raw, header(1000));
      writeAll(raw, new byte[400]);
      Runtime.getRuntime().halt(7);
    }
  }

  /** Announces a frame longer than the limit, then waits for the parent to hang up. */
  static final class SendsOversizedFrame implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws IOException {
      try (SocketChannel raw = ParentConnection.claim().socket()) {
        writeAll(raw, header(MessageChannel.MAX_FRAME_BYTES + 1));
        while (raw.read(ByteBuffer.allocate(16)) >= 0) {
          System.out.println("the parent sent something");
        }
        System.out.println("parent hung up");
      }
    }
  }

  /** Takes the channel to the parent twice; the second time must fail. */
  static final class ClaimsTwice implements WorkerTask {
    @Override
    public void run(List<String> arguments) throws IOException {
      try (MessageChannel<Answer, Order> parent =
          MessageChannel.toParent(Answer.class, Order.class)) {
        MessageChannel.toParent(Answer.class, Order.class).close();
        System.out.println("took the channel twice: " + parent);
      }
    }
  }
}
