package io.github.concurrencycourse.processes;

import tools.jackson.databind.JsonNode;

/**
 * One request from a {@link ProcessQueue} handle to its {@link ProcessQueueHost}, sent over their
 * {@code MessageChannel}. A handle may have many requests outstanding on one channel: every request
 * carries an id, and the host answers each exactly once, with a {@link QueueResponse} of the same
 * id, in any order. So one handle serves many threads, and a thread blocked in {@code take} does
 * not stop another's {@code put}.
 *
 * <p>An item the host hands out under a delivery number stays <em>held</em> by that connection
 * until the handle sends {@link Op#DONE} (consumed) or {@link Op#RELEASE} (give it back). When the
 * connection ends, every item it still holds goes back to the head of the queue.
 *
 * @param id chosen by the handle, unique on its connection
 * @param op what to do
 * @param item the item of an {@link Op#OFFER}; {@code null} otherwise
 * @param waitNanos for {@link Op#OFFER}, {@link Op#POLL} and {@link Op#JOIN}: 0 for no wait, a
 *     negative value to wait without a time limit
 * @param ref the delivery number of {@link Op#DONE} and {@link Op#RELEASE}, the request id of
 *     {@link Op#CANCEL}
 */
record QueueRequest(long id, Op op, JsonNode item, long waitNanos, long ref) {

  /** What a request asks the host to do. */
  enum Op {
    /** Insert {@code item}, waiting up to {@code waitNanos} for space. */
    OFFER,
    /** Remove the head, waiting up to {@code waitNanos} for one; the item becomes held. */
    POLL,
    /** Return the head without removing it. */
    PEEK,
    /** Return the number of items waiting. */
    SIZE,
    /** Return how many more items fit. */
    REMAINING_CAPACITY,
    /** Return every waiting item, head first, without removing any. */
    SNAPSHOT,
    /** The held item {@code ref} is consumed: forget it and count its task done. */
    DONE,
    /** The held item {@code ref} was not consumed: put it back at the head. */
    RELEASE,
    /** Wait up to {@code waitNanos} until every item ever inserted has been done. */
    JOIN,
    /** Stop waiting in request {@code ref} of this connection, if it still waits. */
    CANCEL;

    /** Whether the host may have to wait before answering. */
    boolean mayWait() {
      return this == OFFER || this == POLL || this == JOIN;
    }
  }

  /**
   * Whether the request holds what its operation needs; the host closes the connection of a request
   * that does not.
   */
  boolean isWellFormed() {
    return op != null && (op != Op.OFFER || item != null);
  }
}
