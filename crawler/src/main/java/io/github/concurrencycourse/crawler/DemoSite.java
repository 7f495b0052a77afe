package io.github.concurrencycourse.crawler;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import okio.ByteString;

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
 * which nothing links to.
 *
 * <p>The site records, per host (the {@code Host} header without the port, so {@code localhost} and
 * {@code 127.0.0.1} count apart), the most requests it was answering at once, and every request's
 * arrival time and the time its answer was ready. A request counts as in progress from its arrival
 * until just before its response is written, so a client that waits for a response before sending
 * its next request is never counted twice.
 *
 * <p>Thread-safe. One event loop thread serves the site (see {@link DemoSiteServer}): it reads each
 * request, prepares its answer and writes it when it is due, so no thread sleeps through the
 * latency and the site's timing does not depend on how quickly sleeping threads get a core back.
 * {@link #close()} drops every answer not yet due, closes every connection and waits for that
 * thread to end.
 */
public final class DemoSite implements AutoCloseable {

  /** The faults the site serves, each at the URLs {@link #urls(Fault)} lists. */
  public enum Fault {
    /** 404 Not Found. */
    MISSING,
    /** 500 on the first request, then the page: a crawler that retries gets it. */
    FLAKY,
    /** 429 with {@code Retry-After: 1} on the first request, then the page. */
    RATE_LIMITED,
    /** Answers only after the slow delay: a crawler with a shorter read timeout gives up. */
    SLOW,
    /** {@code /loop/a.html} redirects to {@code /loop/b.html}, which redirects back. */
    REDIRECT_LOOP,
    /** Pages under {@code /private/}, which robots.txt disallows to every crawler. */
    DISALLOWED,
    /** A page larger than the crawler's default body limit (sent chunked, no length). */
    OVERSIZED,
    /** A PDF file: fetched, never parsed. */
    NOT_HTML,
    /** Broken HTML with a {@code <base href>}, unquoted attributes and misnested tags. */
    MALFORMED
  }

  /** One request the site received. Times are {@link System#nanoTime()} readings. */
  public record Visit(String host, String path, long arrivedNanos, long answeredNanos) {}

  private static final int FANOUT = 8;
  private static final int CROSS_LINKS = 3;
  private static final String ROBOTS_TXT =
      """
      # The demo site's robots.txt: one area is closed to every crawler,
      # and one crawler is not welcome at all.
      User-agent: grumpy-bot
      Disallow: /

      User-agent: *
      Disallow: /private/
      """;

  private final int pages;
  private final long seed;
  private final Duration latency;
  private final Duration slowDelay;
  private final boolean faults;
  private final List<String> mirrors;
  private final int oversizedBytes;
  private final DemoSiteServer server;
  private final Map<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInProgress = new ConcurrentHashMap<>();
  private final AtomicInteger inProgressOverall = new AtomicInteger();
  private final AtomicInteger maxInProgressOverall = new AtomicInteger();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final Collection<Visit> visits = new ConcurrentLinkedQueue<>();
  private final Set<InetSocketAddress> clients = ConcurrentHashMap.newKeySet();

  private DemoSite(Builder builder) {
    this.pages = builder.pages;
    this.seed = builder.seed;
    this.latency = builder.latency;
    this.slowDelay = builder.slowDelay;
    this.faults = builder.faults;
    this.mirrors = List.copyOf(builder.mirrors);
    this.oversizedBytes = builder.oversizedBytes;
    this.server = new DemoSiteServer(new Traffic());
  }

  /** A builder with the defaults listed on each of its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /** The home page, {@code http://127.0.0.1:<port>/}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/";
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
   * discovers: the pages and the fault URLs, robots.txt and mirrors excluded.
   */
  public Set<String> expectedUrls() {
    Set<String> urls = new LinkedHashSet<>();
    for (int i = 0; i < pages; i++) {
      urls.add(absolute(pagePath(i)));
    }
    if (faults) {
      for (Fault fault : Fault.values()) {
        urls.addAll(urls(fault));
      }
      urls.add(absolute("/loop/b.html"));
    }
    return Collections.unmodifiableSet(urls);
  }

  /** The URLs that serve {@code fault}; empty when faults are off. */
  public List<String> urls(Fault fault) {
    if (!faults) {
      return List.of();
    }
    return faultPaths(fault).stream().map(this::absolute).toList();
  }

  /** The URL of the mirror page named {@code name}. */
  public String mirrorUrl(String name) {
    if (!mirrors.contains(name)) {
      throw new IllegalArgumentException("no mirror named '" + name + "'; have " + mirrors);
    }
    return absolute("/mirror/" + name + "/");
  }

  /** The most requests from {@code host} that the site was answering at the same moment. */
  public int maxConcurrentRequests(String host) {
    AtomicInteger max = maxInProgress.get(host.toLowerCase(Locale.ROOT));
    return max == null ? 0 : max.get();
  }

  /** The most requests, over all hosts, that the site was answering at the same moment. */
  public int maxConcurrentRequests() {
    return maxInProgressOverall.get();
  }

  /**
   * How many connections the site has answered requests on: the distinct client addresses and ports
   * it has seen. With keep-alive this stays at the client's pool size however many requests arrive;
   * a client that closes and reopens connections makes it grow.
   */
  public int connections() {
    return clients.size();
  }

  /** How many requests the site received for {@code path} (such as {@code /robots.txt}). */
  public int hits(String path) {
    AtomicInteger count = hits.get(path);
    return count == null ? 0 : count.get();
  }

  /** Every request received so far, in no particular order. */
  public List<Visit> visits() {
    return List.copyOf(visits);
  }

  /** Drops every answer not yet due, closes every connection and waits for the server to end. */
  @Override
  public void close() {
    server.close();
  }

  /** Counts and records the traffic, and prepares each answer; runs on the server's event loop. */
  private final class Traffic implements DemoSiteServer.Site {

    @Override
    public Reply prepare(DemoSiteServer.Request request) {
      String host = hostOf(request.hostHeader());
      hits.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
      clients.add(request.client());
      int now = inProgress.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
      maxInProgress
          .computeIfAbsent(host, h -> new AtomicInteger())
          .accumulateAndGet(now, Math::max);
      maxInProgressOverall.accumulateAndGet(inProgressOverall.incrementAndGet(), Math::max);
      // The site prepares its answer during the latency, as a server thinks while the network
      // carries: rendering a page does not lengthen the wait the client sees.
      Reply reply = route(request.path());
      return reply.after(latency.plus(reply.delay()));
    }

    @Override
    public void answering(DemoSiteServer.Request request) {
      String host = hostOf(request.hostHeader());
      inProgress.get(host).decrementAndGet();
      inProgressOverall.decrementAndGet();
      visits.add(new Visit(host, request.path(), request.arrivedNanos(), System.nanoTime()));
    }
  }

  private Reply route(String path) {
    if (path.equals("/robots.txt")) {
      return Reply.ok("text/plain; charset=utf-8", bytes(ROBOTS_TXT));
    }
    if (path.equals("/")) {
      return page(0);
    }
    if (path.startsWith("/page/") && path.endsWith(".html")) {
      try {
        int index = Integer.parseInt(path.substring("/page/".length(), path.length() - 5));
        if (index > 0 && index < pages) {
          return page(index);
        }
      } catch (NumberFormatException e) {
        return Reply.notFound();
      }
      return Reply.notFound();
    }
    if (path.startsWith("/mirror/")) {
      String name = path.substring("/mirror/".length()).replace("/", "");
      return mirrors.contains(name) ? mirror(name) : Reply.notFound();
    }
    return faults ? fault(path) : Reply.notFound();
  }

  private Reply fault(String path) {
    int count = hits(path);
    if (path.equals("/loop/b.html")) {
      return Reply.redirect(absolute("/loop/a.html"));
    }
    Fault fault = null;
    for (Fault candidate : Fault.values()) {
      if (faultPaths(candidate).contains(path)) {
        fault = candidate;
      }
    }
    if (fault == null) {
      return Reply.notFound();
    }
    return switch (fault) {
      case MISSING -> Reply.notFound();
      case FLAKY ->
          count <= 1
              ? new Reply(500, "text/plain", bytes("try again"), Map.of(), false, Duration.ZERO)
              : html(simplePage("Recovered " + path, "This page failed once, then recovered."));
      case RATE_LIMITED ->
          count <= 1
              ? new Reply(
                  429,
                  "text/plain",
                  bytes("slow down"),
                  Map.of("Retry-After", "1"),
                  false,
                  Duration.ZERO)
              : html(simplePage("Patience rewarded", "This page asked for one second's rest."));
      case SLOW -> html(simplePage("Slow", "This page took its time.")).after(slowDelay);
      case REDIRECT_LOOP -> Reply.redirect(absolute("/loop/b.html"));
      case DISALLOWED -> html(simplePage("Private", "Robots should not be reading this."));
      case OVERSIZED -> oversized();
      case NOT_HTML -> Reply.ok("application/pdf", pdf());
      case MALFORMED -> html(malformed());
    };
  }

  private List<String> faultPaths(Fault fault) {
    return switch (fault) {
      case MISSING -> List.of("/missing/1.html", "/missing/2.html", "/missing/3.html");
      case FLAKY -> List.of("/flaky/1.html", "/flaky/2.html", "/flaky/3.html");
      case RATE_LIMITED -> List.of("/busy.html");
      case SLOW -> List.of("/slow.html");
      case REDIRECT_LOOP -> List.of("/loop/a.html");
      case DISALLOWED ->
          List.of(
              "/private/1.html",
              "/private/2.html",
              "/private/3.html",
              "/private/4.html",
              "/private/5.html");
      case OVERSIZED -> List.of("/big.html");
      case NOT_HTML -> List.of("/files/course.pdf");
      case MALFORMED -> List.of("/malformed.html");
    };
  }

  private Reply page(int index) {
    // Rendered afresh on every request: a crawl asks for each page once, and ten thousand cached
    // pages would be live data for the garbage collector to copy on every young collection.
    return Reply.ok("text/html; charset=utf-8", render(index));
  }

  /** Page {@code index}'s HTML: always the same for the same seed. */
  private ByteString render(int index) {
    Random random = new Random(seed * 1_000_003L + index);
    StringBuilder html = new StringBuilder();
    String title = index == 0 ? "Demo site home" : "Page " + index;
    html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
        .append(title)
        .append("</title></head>\n<body><h1>")
        .append(title)
        .append("</h1>\n<ul>\n");
    List<String> links = new ArrayList<>();
    for (int child = index * FANOUT + 1;
        child <= index * FANOUT + FANOUT && child < pages;
        child++) {
      links.add(pagePath(child));
    }
    for (int i = 0; i < CROSS_LINKS && pages > 1; i++) {
      links.add(pagePath(random.nextInt(pages)));
    }
    if (index == 0 && faults) {
      for (Fault fault : Fault.values()) {
        links.addAll(faultPaths(fault));
      }
    }
    for (String link : links) {
      // Pages link to their siblings relatively, some with a fragment, to exercise resolution.
      String href = index != 0 && link.startsWith("/page/") ? link.substring(6) : link;
      html.append("<li><a href=\"").append(href).append(random.nextInt(4) == 0 ? "#top" : "");
      html.append("\">").append(link).append("</a></li>\n");
    }
    html.append("</ul>\n<p>");
    int words = 40 + random.nextInt(200);
    for (int i = 0; i < words; i++) {
      html.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    html.append("</p>\n<p><a href=\"#top\">top</a> <a href=\"/\">home</a></p></body></html>\n");
    return bytes(html.toString());
  }

  private Reply mirror(String name) {
    int size = 2_000 + Math.floorMod(name.hashCode() * 31 + (int) seed, 20_000);
    StringBuilder filler = new StringBuilder();
    Random random = new Random(seed + name.hashCode());
    while (filler.length() < size) {
      filler.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    return html(simplePage(name, "A stand-in for " + name + ". " + filler));
  }

  private Reply oversized() {
    StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><title>Big</title></head>");
    html.append("<body><p>");
    while (html.length() < oversizedBytes) {
      html.append("All work and no play makes a very large page. ");
    }
    html.append("</p></body></html>");
    return new Reply(
        200, "text/html; charset=utf-8", bytes(html.toString()), Map.of(), true, Duration.ZERO);
  }

  private static String malformed() {
    return """
        <html><head><title>Malformed</title><base href="/page/">
        <body><div><p><b>Unclosed tags, <i>misnested</b> text</i>
        <table><tr><td><a href=5.html#frag>unquoted</a><a href="../page/6.html">dot dot</a>
        <a href='7.html'>single quotes</a>
        <a href="javascript:void(0)">script</a><a href="mailto:someone@example.invalid">mail</a>
        <a href="http://example.invalid/elsewhere">another host</a>
        <p>no closing tags anywhere
        """;
  }

  private static ByteString pdf() {
    StringBuilder pdf = new StringBuilder("%PDF-1.4\n% not really a PDF, but typed as one\n");
    while (pdf.length() < 10_000) {
      pdf.append("0 0 0 rg 72 720 Td (concurrency course) Tj\n");
    }
    return bytes(pdf.toString());
  }

  private static String simplePage(String title, String text) {
    return "<!DOCTYPE html><html><head><title>"
        + title
        + "</title></head><body><p>"
        + text
        + "</p><p><a href=\"/\">home</a></p></body></html>\n";
  }

  private static Reply html(String html) {
    return Reply.ok("text/html; charset=utf-8", bytes(html));
  }

  private static ByteString bytes(String text) {
    return ByteString.encodeUtf8(text);
  }

  private static String pagePath(int index) {
    return index == 0 ? "/" : "/page/" + index + ".html";
  }

  private String absolute(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  private static String hostOf(String host) {
    if (host == null) {
      return "";
    }
    int colon = host.lastIndexOf(':');
    return (colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host)
        .toLowerCase(Locale.ROOT);
  }

  private static final String[] WORDS = {
    "thread",
    "process",
    "lock",
    "queue",
    "pool",
    "future",
    "callback",
    "socket",
    "crawler",
    "semaphore",
    "event",
    "condition",
    "virtual",
    "carrier",
    "latency",
    "throughput",
    "线程",
    "进程",
    "互斥锁",
    "回调",
    "异步",
    "同步"
  };

  /** An answer: what to send, and how long after the request's arrival to send it. */
  record Reply(
      int status,
      String contentType,
      ByteString body,
      Map<String, String> headers,
      boolean chunked,
      Duration delay) {

    static Reply ok(String contentType, ByteString body) {
      return new Reply(200, contentType, body, Map.of(), false, Duration.ZERO);
    }

    static Reply notFound() {
      return new Reply(404, "text/plain", bytes("not found"), Map.of(), false, Duration.ZERO);
    }

    static Reply redirect(String location) {
      return new Reply(
          302, null, ByteString.EMPTY, Map.of("Location", location), false, Duration.ZERO);
    }

    Reply after(Duration wait) {
      return new Reply(status, contentType, body, headers, chunked, wait);
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
      return new DemoSite(this);
    }
  }
}
