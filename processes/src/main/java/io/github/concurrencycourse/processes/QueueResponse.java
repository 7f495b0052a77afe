package io.github.concurrencycourse.processes;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The host's answer to the {@link QueueRequest} with the same id.
 *
 * @param id the request's id
 * @param status how the request ended
 * @param item the delivered or peeked item when {@code status} is {@link Status#OK}
 * @param delivery the delivery number of a polled item, for {@link QueueRequest.Op#DONE} or {@link
 *     QueueRequest.Op#RELEASE}
 * @param count the answer of {@link QueueRequest.Op#SIZE} and {@link
 *     QueueRequest.Op#REMAINING_CAPACITY}
 * @param items the answer of {@link QueueRequest.Op#SNAPSHOT}
 * @param error why an {@link Status#ERROR} was refused
 */
record QueueResponse(
    long id,
    Status status,
    JsonNode item,
    long delivery,
    long count,
    List<JsonNode> items,
    String error) {

  /** How a request ended. */
  enum Status {
    /** Done: the item was inserted or delivered, the join completed, the count is in the answer. */
    OK,
    /** Not done: the queue stayed full or empty, or tasks stayed unfinished, for the whole wait. */
    NONE,
    /** Not done: the request was cancelled, or the host is closing. */
    CANCELLED,
    /** Refused: {@code error} says why (an unknown delivery number, for instance). */
    ERROR
  }

  static QueueResponse of(long id, Status status) {
    return new QueueResponse(id, status, null, 0, 0, null, null);
  }

  static QueueResponse item(long id, JsonNode item, long delivery) {
    return new QueueResponse(id, Status.OK, item, delivery, 0, null, null);
  }

  static QueueResponse count(long id, long count) {
    return new QueueResponse(id, Status.OK, null, 0, count, null, null);
  }

  static QueueResponse items(long id, List<JsonNode> items) {
    return new QueueResponse(id, Status.OK, null, 0, 0, List.copyOf(items), null);
  }

  static QueueResponse error(long id, String error) {
    return new QueueResponse(id, Status.ERROR, null, 0, 0, null, error);
  }
}
