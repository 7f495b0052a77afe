package io.github.concurrencycourse.iomodels.lessons;

import io.github.concurrencycourse.common.lesson.AbstractLesson;
import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.common.lesson.SeedSection;
import io.github.concurrencycourse.iomodels.AsyncEchoServer;
import java.io.PrintStream;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Asynchronous channels: the server asks for a read and returns; a completion handler runs when the
 * bytes are in its buffer. On Linux the JDK emulates this with epoll and a thread pool.
 *
 * <p>Run it with {@code ./course run io-models.async}. Five clients exchange three messages each
 * with a server whose channel group has two threads; you will see the number of completions (one
 * per accept, read and write), the group's threads that ran the handlers, and why this is not
 * asynchronous IO in Stevens' sense.
 */
public final class AsyncIoLesson extends AbstractLesson {

  static final int CLIENTS = 5;

  public AsyncIoLesson() {
    super(
        "io-models.async",
        "asynchronous channels: completion handlers over the JDK's epoll emulation",
        SeedSection.IO_MODELS);
  }

  @Override
  public void run(LessonContext context) throws Exception {
    PrintStream out = context.out();
    try (AsyncEchoServer server = new AsyncEchoServer()) {
      server.start(0);
      out.println("服务器已经启动.... async server on " + server.address() + ", a group of 2 threads");
      try (ClientGroup clients = ClientGroup.connect(server, CLIENTS)) {
        for (String reply : clients.talkInRounds(3)) {
          out.println(reply);
        }
        out.printf(
            "completions so far: %d (accepts, reads and writes; a reply may take more than one"
                + " write)%n",
            server.statistics().events());
        out.println("threads that run the completion handlers: " + groupThreads());
      }
    }
    out.println(
        "underneath, on Linux: the group's threads wait in epoll_wait and do the read() themselves"
            + " when a socket is ready, then call the handler. The copy from the kernel still"
            + " blocks a thread of ours, so by Stevens' definition this is synchronous IO behind"
            + " an asynchronous interface.");
  }

  private static SortedSet<String> groupThreads() {
    SortedSet<String> names = new TreeSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("async-echo-")) {
        names.add(thread.getName());
      }
    }
    return names;
  }
}
