package io.github.concurrencycourse.crawler.demo;

import io.github.concurrencycourse.crawler.Crawler;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A generated web site on 127.0.0.1 for the crawler to crawl where there is no internet: about a
 * thousand linked pages, the faults a crawler meets, and a record of the traffic it received.
 *
 * <p>The pages are {@code /} and {@code /page/1.html} … {@code /page/N.html}; page {@code i} links
 * to pages {@code 8i+1} … {@code 8i+8} (so every page is reachable) and to three other pages chosen
 * from the seed, so the same seed always gives the same site. With {@linkplain Builder#faults
 * faults} on (the default) the home page also links to one example of each {@link Fault}. Every
 * response leaves the configured latency after its request arrived (the site prepares it
 * meanwhile). Lessons can ask for {@linkplain Builder#mirrors mirror pages} named after real sites,
 * which nothing links to. {@link #crawlerBuilder()} sets a crawler up to crawl all of it.
 *
 * <p>The site records, per host (the {@code Host} header without the port, so {@code localhost} and
 * {@code 127.0.0.1} count apart), the most requests it was answering at once, and every request's
 * arrival time, the time its answer was ready, its status, and whether the client was still there
 * to receive it. A request counts as in progress from its arrival until just before its response is
 * written, so a client that waits for a response before sending its next request is never counted
 * twice.
 *
 * <p>Thread-safe. One event loop thread serves the site: it reads each request, prepares its answer
 * and writes it when it is due, so no thread sleeps through the latency and the site's timing does
 * not depend on how quickly sleeping threads get a core back. {@link #close()} drops every answer
 * not yet due, closes every connection and waits for that thread to end.
 */
public final class DemoSite implements AutoCloseable {

  /** The faults the site serves, each at the URLs {@link #urls(Fault)} lists. */
  public enum Fault {
    /** 404 Not Found. */
    MISSING("/missing/1.html", "/missing/2.html", "/missing/3.html"),
    /** 500 on the first request, then the page: a crawler that retries gets it. */
    FLAKY("/flaky/1.html", "/flaky/2.html", "/flaky/3.html"),
    /** 429 with {@code Retry-After: 1} on the first request, then the page. */
    RATE_LIMITED("/busy.html"),
    /** Answers only after the slow delay: a crawler with a shorter read timeout gives up. */
    SLOW("/slow.html"),
    /** {@code /loop/a.html} redirects to {@code /loop/b.html}, which redirects back. */
    REDIRECT_LOOP("/loop/a.html"),
    /** Pages under {@code /private/}, which robots.txt disallows to every crawler. */
    DISALLOWED(
        "/private/1.html",
        "/private/2.html",
        "/private/3.html",
        "/private/4.html",
        "/private/5.html"),
    /** A page larger than the crawler's default body limit (sent chunked, no length). */
    OVERSIZED("/big.html"),
    /** A PDF file: fetched, never parsed. */
    NOT_HTML("/files/course.pdf"),
    /** Broken HTML with a {@code <base href>}, unquoted attributes and misnested tags. */
    MALFORMED("/malformed.html");

    // List.of is unmodifiable, though its type does not say so.
    @SuppressWarnings("ImmutableEnumChecker")
    private final List<String> paths;

    Fault(String... paths) {
      this.paths = List.of(paths);
    }

    /** The paths that serve this fault. */
    List<String> paths() {
      return paths;
    }

    /** The fault served at {@code path}, or {@code null} if none is. */
    static Fault at(String path) {
      for (Fault fault : values()) {
        if (fault.paths.contains(path)) {
          return fault;
        }
      }
      return null;
    }
  }

  /**
   * One request the site received and answered. Times are {@link System#nanoTime()} readings.
   *
   * @param host the {@code Host} header without the port, in lower case
   * @param path the raw path asked for
   * @param arrivedNanos when the request arrived (its turn came, on a connection with several)
   * @param answeredNanos when its answer was due and about to be written
   * @param status the status of the answer
   * @param abandoned whether the client had closed the connection by then, so that the answer was
   *     never sent: what a client's read timeout looks like from the server
   */
  public record Visit(
      String host,
      String path,
      long arrivedNanos,
      long answeredNanos,
      int status,
      boolean abandoned) {}

  /**
   * How long after the latency a crawl of the whole site gives up on an answer: ordinary answers on
   * a loaded machine come well within it, the slow page's by default far after.
   */
  private static final Duration READ_MARGIN = Duration.ofMillis(500);

  private final SitePages pages;
  private final Duration latency;
  private final Traffic traffic = new Traffic();
  private final DemoSiteServer server;

  private DemoSite(SitePages pages, Duration latency) {
    this.pages = pages;
    this.latency = latency;
    this.server = new DemoSiteServer(new Answers());
  }

  /** A builder with the defaults listed on each of its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /** The home page, {@code http://127.0.0.1:<port>/}. */
  public String baseUrl() {
    return absolute("/");
  }

  /** The same home page under the host name {@code localhost}: a second host for the crawler. */
  public String localhostUrl() {
    return "http://localhost:" + port() + "/";
  }

  /** The port the site listens on. */
  public int port() {
    return server.port();
  }

  /**
   * Every URL (under {@link #baseUrl()}) that a crawl of the whole site from the home page
   * discovers: the pages, and with faults the fault URLs and where they lead; robots.txt and the
   * mirrors are not among them. In the order the site lists them: the home page first.
   */
  public Set<String> expectedUrls() {
    Set<String> urls = new LinkedHashSet<>();
    pages.expectedPaths().forEach(path -> urls.add(absolute(path)));
    return Collections.unmodifiableSet(urls);
  }

  /** The URLs that serve {@code fault}; empty when faults are off. */
  public List<String> urls(Fault fault) {
    return pages.faults() ? fault.paths().stream().map(this::absolute).toList() : List.of();
  }

  /** The URL of the mirror page named {@code name}. */
  public String mirrorUrl(String name) {
    if (!pages.mirrors().contains(name)) {
      throw new IllegalArgumentException("no mirror named '" + name + "'; have " + pages.mirrors());
    }
    return absolute("/mirror/" + name + "/");
  }

  /**
   * A crawler builder set to crawl this whole site from its home page, as {@code course crawl
   * --demo} does: it admits exactly the {@linkplain #expectedUrls() site's URLs}, follows links as
   * deep as they go, rests no politeness delay and keeps no per-host limit below the global one
   * (the site is one host on loopback, and measures its own load), and gives up on an answer half a
   * second after the latency, so the slow page fails as a crawler's read timeout makes it. Change
   * any of these, or anything else, before building.
   */
  public Crawler.Builder crawlerBuilder() {
    int urls = expectedUrls().size();
    return Crawler.builder()
        .seed(baseUrl())
        .maxPages(urls)
        // No path from the home page is longer than the number of URLs it can pass through.
        .maxDepth(urls)
        .perHostConcurrency(Integer.MAX_VALUE)
        .politenessDelay(Duration.ZERO)
        .readTimeout(latency.plus(READ_MARGIN));
  }

  /** The most requests from {@code host} that the site was answering at the same moment. */
  public int maxConcurrentRequests(String host) {
    return traffic.maxConcurrentRequests(host);
  }

  /** The most requests, over all hosts, that the site was answering at the same moment. */
  public int maxConcurrentRequests() {
    return traffic.maxConcurrentRequests();
  }

  /**
   * How many connections the site has answered requests on: the distinct client addresses and ports
   * it has seen. With keep-alive this stays at the client's pool size however many requests arrive;
   * a client that closes and reopens connections makes it grow.
   */
  public int connections() {
    return traffic.connections();
  }

  /** How many requests the site received for {@code path} (such as {@code /robots.txt}). */
  public int hits(String path) {
    return traffic.hits(path);
  }

  /** Every request received so far, in no particular order. */
  public List<Visit> visits() {
    return traffic.visits();
  }

  /** Drops every answer not yet due, closes every connection and waits for the server to end. */
  @Override
  public void close() {
    server.close();
  }

  private String absolute(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Records each request and answers it after the latency; runs on the server's event loop. */
  private final class Answers implements DemoSiteServer.Site {

    @Override
    public Reply prepare(DemoSiteServer.Request request) {
      int hit = traffic.arrived(request);
      // The site prepares its answer during the latency, as a server thinks while the network
      // carries: rendering a page does not lengthen the wait the client sees.
      Reply reply = pages.answer(request.path(), hit);
      return reply.after(latency.plus(reply.delay()));
    }

    @Override
    public void answering(DemoSiteServer.Request request, Reply reply, boolean clientGone) {
      traffic.answering(request, reply.status(), clientGone);
    }
  }

  /**
   * Configures a {@link DemoSite}. Not thread-safe; {@link #start()} validates the settings and
   * fails with {@link IllegalArgumentException} naming the bad one.
   */
  public static final class Builder {

    private int pages = 1_000;
    private long seed = 53;
    private Duration latency = Duration.ZERO;
    private Duration slowDelay = Duration.ofSeconds(5);
    private boolean faults = true;
    private final List<String> mirrors = new ArrayList<>();
    private int oversizedBytes = 3 * 1024 * 1024;

    private Builder() {}

    /** How many linked pages, the home page included. Default 1 000. */
    public Builder pages(int pages) {
      this.pages = pages;
      return this;
    }

    /** The seed the links are chosen from. Default 53. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** How long after its request arrives every response is sent. Default 0. */
    public Builder latency(Duration latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    /** How long the slow page waits, on top of the latency. Default 5 s. */
    public Builder slowDelay(Duration slowDelay) {
      this.slowDelay = Objects.requireNonNull(slowDelay, "slowDelay");
      return this;
    }

    /** Whether the home page links to the fault URLs. Default true. */
    public Builder faults(boolean faults) {
      this.faults = faults;
      return this;
    }

    /** The size of the oversized page. Default 3 MiB. */
    public Builder oversizedBytes(int oversizedBytes) {
      this.oversizedBytes = oversizedBytes;
      return this;
    }

    /**
     * Adds pages at {@code /mirror/<name>/} standing in for real sites, of different sizes; nothing
     * links to them.
     */
    public Builder mirrors(List<String> names) {
      for (String name : names) {
        if (!name.matches("[A-Za-z0-9.-]+")) {
          throw new IllegalArgumentException("mirror names are host names, got '" + name + "'");
        }
        mirrors.add(name);
      }
      return this;
    }

    /**
     * Starts the site on an ephemeral port of 127.0.0.1.
     *
     * @throws IllegalArgumentException if a setting is out of range
     * @throws UncheckedIOException if the server cannot bind
     */
    public DemoSite start() {
      if (pages < 1) {
        throw new IllegalArgumentException("pages must be >= 1, got " + pages);
      }
      if (latency.isNegative() || slowDelay.isNegative()) {
        throw new IllegalArgumentException("latency and slowDelay must not be negative");
      }
      if (oversizedBytes < 1) {
        throw new IllegalArgumentException("oversizedBytes must be >= 1, got " + oversizedBytes);
      }
      return new DemoSite(
          new SitePages(pages, seed, slowDelay, faults, mirrors, oversizedBytes), latency);
    }
  }
}
