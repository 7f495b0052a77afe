package io.github.concurrencycourse.common.tickets;

import java.util.Objects;

/**
 * The outcome of one attempt to buy a ticket from a {@link TicketStore}.
 *
 * <p>Tickets are numbered by the count they were taken from: with 3 tickets left, the buyer gets
 * ticket 3 and leaves 2. Under the store's locks every ticket number is handed out at most once;
 * the unsafe mode ({@link TicketStore#buyWithoutLock}) hands the same number to several buyers,
 * which is how an oversell shows.
 *
 * @param buyer who tried to buy
 * @param bought whether the buyer got a ticket
 * @param ticket the ticket's number, from 1 to the initial count; 0 when nothing was bought
 * @param remaining the count the buyer left behind (or found, when nothing was left)
 */
public record Purchase(String buyer, boolean bought, int ticket, int remaining) {

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if {@code ticket} does not match {@code bought} or a number is
   *     negative
   */
  public Purchase {
    Objects.requireNonNull(buyer, "buyer");
    if (remaining < 0 || ticket < 0 || bought != (ticket > 0)) {
      throw new IllegalArgumentException(
          "inconsistent purchase: bought="
              + bought
              + ", ticket="
              + ticket
              + ", remaining="
              + remaining);
    }
  }

  static Purchase sold(String buyer, int ticket) {
    return new Purchase(buyer, true, ticket, ticket - 1);
  }

  static Purchase soldOut(String buyer) {
    return new Purchase(buyer, false, 0, 0);
  }
}
