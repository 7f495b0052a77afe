package io.github.concurrencycourse.crawler.demo;

import io.github.concurrencycourse.crawler.demo.DemoSite.Visit;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the demo site received: per host (the {@code Host} header without the port), the requests in
 * progress and the most at once; per path, how many requests; every request's arrival and answer
 * (its status, and whether the client was still there); the client connections. A request is in
 * progress from its arrival until just before its answer is written.
 *
 * <p>Thread-safe: the server's event loop records, any thread reads.
 */
final class Traffic {

  private final Map<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInProgress = new ConcurrentHashMap<>();
  private final AtomicInteger inProgressOverall = new AtomicInteger();
  private final AtomicInteger maxInProgressOverall = new AtomicInteger();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final Collection<Visit> visits = new ConcurrentLinkedQueue<>();
  private final Set<InetSocketAddress> clients = ConcurrentHashMap.newKeySet();

  /**
   * Records {@code request}'s arrival; returns how many requests its path has had, this one too.
   */
  int arrived(DemoSiteServer.Request request) {
    String host = hostOf(request.hostHeader());
    int hit = hits.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
    clients.add(request.client());
    int now = inProgress.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
    maxInProgress.computeIfAbsent(host, h -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    maxInProgressOverall.accumulateAndGet(inProgressOverall.incrementAndGet(), Math::max);
    return hit;
  }

  /**
   * Records that {@code request}'s answer, of {@code status}, is about to be written, or dropped
   * because the client is gone.
   */
  void answering(DemoSiteServer.Request request, int status, boolean clientGone) {
    String host = hostOf(request.hostHeader());
    inProgress.get(host).decrementAndGet();
    inProgressOverall.decrementAndGet();
    visits.add(
        new Visit(
            host, request.path(), request.arrivedNanos(), System.nanoTime(), status, clientGone));
  }

  int maxConcurrentRequests(String host) {
    AtomicInteger max = maxInProgress.get(host.toLowerCase(Locale.ROOT));
    return max == null ? 0 : max.get();
  }

  int maxConcurrentRequests() {
    return maxInProgressOverall.get();
  }

  int connections() {
    return clients.size();
  }

  int hits(String path) {
    AtomicInteger count = hits.get(path);
    return count == null ? 0 : count.get();
  }

  List<Visit> visits() {
    return List.copyOf(visits);
  }

  private static String hostOf(String host) {
    if (host == null) {
      return "";
    }
    int colon = host.lastIndexOf(':');
    return (colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host)
        .toLowerCase(Locale.ROOT);
  }
}
