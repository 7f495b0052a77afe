package io.github.concurrencycourse.iomodels.lessons;

import io.github.concurrencycourse.common.echo.EchoClient;
import io.github.concurrencycourse.common.echo.EchoServer;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The clients the lessons connect: bounded waits, so a lesson never hangs. */
final class LessonClients {

  static final Charset UTF8 = StandardCharsets.UTF_8;

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private LessonClients() {}

  static EchoClient connect(EchoServer server) throws IOException {
    return EchoClient.connect(server.address(), TIMEOUT, TIMEOUT);
  }
}
