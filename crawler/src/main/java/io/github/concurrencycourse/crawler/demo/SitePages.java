package io.github.concurrencycourse.crawler.demo;

import io.github.concurrencycourse.crawler.demo.DemoSite.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.SequencedSet;
import okio.ByteString;

/**
 * What the demo site serves: which path answers what, rendered on request and always the same for
 * the same settings. Immutable and thread-safe; knows nothing of hosts, ports or time beyond the
 * slow page's extra delay.
 *
 * @param pages how many linked pages, the home page included
 * @param seed the seed the cross links and the filler text are chosen from
 * @param slowDelay how long the slow page waits on top of the site's latency
 * @param faults whether the home page links to the fault URLs
 * @param mirrors the names of the mirror pages, at {@code /mirror/<name>/}
 * @param oversizedBytes the size of the oversized page
 */
record SitePages(
    int pages,
    long seed,
    Duration slowDelay,
    boolean faults,
    List<String> mirrors,
    int oversizedBytes) {

  private static final int FANOUT = 8;
  private static final int CROSS_LINKS = 3;
  private static final String LOOP_BACK = "/loop/b.html";

  /** Where the malformed page's three page links lead, against its {@code <base href="/page/">}. */
  private static final List<String> MALFORMED_PAGE_LINKS =
      List.of("/page/5.html", "/page/6.html", "/page/7.html");

  private static final String ROBOTS_TXT =
      """
      # The demo site's robots.txt: one area is closed to every crawler,
      # and one crawler is not welcome at all.
      User-agent: grumpy-bot
      Disallow: /

      User-agent: *
      Disallow: /private/
      """;

  SitePages {
    mirrors = List.copyOf(mirrors);
  }

  /**
   * The answer to a request for {@code path}, the {@code hit}-th for that path (1 for the first):
   * the flaky and rate-limited pages fail the first time only.
   */
  Reply answer(String path, int hit) {
    if (path.equals("/robots.txt")) {
      return Reply.ok("text/plain; charset=utf-8", ByteString.encodeUtf8(ROBOTS_TXT));
    }
    if (path.equals("/")) {
      return page(0);
    }
    if (path.startsWith("/page/") && path.endsWith(".html")) {
      try {
        int index = Integer.parseInt(path.substring("/page/".length(), path.length() - 5));
        return index > 0 && index < pages ? page(index) : Reply.notFound();
      } catch (NumberFormatException e) {
        return Reply.notFound();
      }
    }
    if (path.startsWith("/mirror/")) {
      String name = path.substring("/mirror/".length()).replace("/", "");
      return mirrors.contains(name) ? mirror(name) : Reply.notFound();
    }
    return faults ? fault(path, hit) : Reply.notFound();
  }

  /**
   * Every path a crawl of the whole site from the home page discovers: the pages, and with faults
   * the fault paths and the paths they lead to. Robots.txt and the mirrors are not among them.
   */
  SequencedSet<String> expectedPaths() {
    SequencedSet<String> paths = new LinkedHashSet<>();
    for (int i = 0; i < pages; i++) {
      paths.add(pagePath(i));
    }
    if (faults) {
      for (Fault fault : Fault.values()) {
        paths.addAll(fault.paths());
      }
      paths.add(LOOP_BACK);
      paths.addAll(MALFORMED_PAGE_LINKS);
    }
    return paths;
  }

  private Reply fault(String path, int hit) {
    if (path.equals(LOOP_BACK)) {
      return Reply.redirect(Fault.REDIRECT_LOOP.paths().getFirst());
    }
    Fault fault = Fault.at(path);
    if (fault == null) {
      return Reply.notFound();
    }
    return switch (fault) {
      case MISSING -> Reply.notFound();
      case FLAKY ->
          hit <= 1
              ? Reply.text(500, "try again")
              : Reply.html(
                  simplePage("Recovered " + path, "This page failed once, then recovered."));
      case RATE_LIMITED ->
          hit <= 1
              ? Reply.text(429, "slow down").withHeader("Retry-After", "1")
              : Reply.html(
                  simplePage("Patience rewarded", "This page asked for one second's rest."));
      case SLOW -> Reply.html(simplePage("Slow", "This page took its time.")).after(slowDelay);
      case REDIRECT_LOOP -> Reply.redirect(LOOP_BACK);
      case DISALLOWED -> Reply.html(simplePage("Private", "Robots should not be reading this."));
      case OVERSIZED -> oversized();
      case NOT_HTML -> Reply.ok("application/pdf", pdf());
      case MALFORMED -> Reply.html(MALFORMED);
    };
  }

  private Reply page(int index) {
    // Rendered afresh on every request: a crawl asks for each page once, and ten thousand cached
    // pages would be live data for the garbage collector to copy on every young collection.
    return Reply.html(render(index));
  }

  /** Page {@code index}'s HTML: always the same for the same seed. */
  private String render(int index) {
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
        links.addAll(fault.paths());
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
    return html.toString();
  }

  private Reply mirror(String name) {
    int size = 2_000 + Math.floorMod(name.hashCode() * 31 + (int) seed, 20_000);
    StringBuilder filler = new StringBuilder();
    Random random = new Random(seed + name.hashCode());
    while (filler.length() < size) {
      filler.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    return Reply.html(simplePage(name, "A stand-in for " + name + ". " + filler));
  }

  private Reply oversized() {
    StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><title>Big</title></head>");
    html.append("<body><p>");
    while (html.length() < oversizedBytes) {
      html.append("All work and no play makes a very large page. ");
    }
    html.append("</p></body></html>");
    return Reply.html(html.toString()).sentChunked();
  }

  private static ByteString pdf() {
    StringBuilder pdf = new StringBuilder("%PDF-1.4\n% not really a PDF, but typed as one\n");
    while (pdf.length() < 10_000) {
      pdf.append("0 0 0 rg 72 720 Td (concurrency course) Tj\n");
    }
    return ByteString.encodeUtf8(pdf.toString());
  }

  private static String simplePage(String title, String text) {
    return "<!DOCTYPE html><html><head><title>"
        + title
        + "</title></head><body><p>"
        + text
        + "</p><p><a href=\"/\">home</a></p></body></html>\n";
  }

  private static String pagePath(int index) {
    return index == 0 ? "/" : "/page/" + index + ".html";
  }

  /**
   * Links to three pages (see {@link #MALFORMED_PAGE_LINKS}), one other host, and two non-links.
   */
  private static final String MALFORMED =
      """
      <html><head><title>Malformed</title><base href="/page/">
      <body><div><p><b>Unclosed tags, <i>misnested</b> text</i>
      <table><tr><td><a href=5.html#frag>unquoted</a><a href="../page/6.html">dot dot</a>
      <a href='7.html'>single quotes</a>
      <a href="javascript:void(0)">script</a><a href="mailto:someone@example.invalid">mail</a>
      <a href="http://example.invalid/elsewhere">another host</a>
      <p>no closing tags anywhere
      """;

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
}
