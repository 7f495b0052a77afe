package io.github.concurrencycourse.common.launch;

import java.io.IOException;

/**
 * A {@link MessageChannel} received a frame that breaks the wire format: a length outside {@code
 * 0..}{@link MessageChannel#MAX_FRAME_BYTES}, bytes that are not JSON, or JSON that is not a
 * message of the channel's incoming type. The channel that received it is closed; nothing else is
 * affected (other channels of the same {@link ChannelServer}, the server itself).
 */
public final class MalformedFrameException extends IOException {

  private static final long serialVersionUID = 1L;

  MalformedFrameException(String message) {
    super(message);
  }

  MalformedFrameException(String message, Throwable cause) {
    super(message, cause);
  }
}
