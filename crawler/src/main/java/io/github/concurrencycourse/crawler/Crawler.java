package io.github.concurrencycourse.crawler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A polite, bounded, concurrent web crawler.
 *
 * <p>From its seeds the crawler follows links on the allowed hosts, many pages at once, fetching
 * each normalized URL at most once and reporting every URL it discovers exactly once, as a {@link
 * PageResult}: fetched, redirected, failed (with the reason), disallowed by robots.txt, or skipped
 * (depth limit, page limit, cancellation). It keeps to a global limit and a per-host limit of
 * requests in flight, rests for the politeness delay (or the host's Crawl-delay, if longer) between
 * requests through a host slot, honours robots.txt, retries I/O errors, 5xx and 429 with jittered
 * exponential back-off and {@code Retry-After}, treats redirects as links (so a redirect loop ends
 * and is reported), reads at most a maximum body size and parses only HTML.
 *
 * <p>{@link #builder()} starts from {@link CrawlSettings#DEFAULTS}; {@link #settings()} says what a
 * crawler was built with.
 *
 * <p>Each busy host slot is a virtual thread that fetches the host's waiting pages in turn with
 * blocking OkHttp calls, so the crawler's throughput follows Little's law: with {@code c} requests
 * in flight and a server latency of {@code L}, it approaches {@code c / L} pages per second.
 *
 * <p>Usage:
 *
 * <pre>{@code
 * try (Crawler crawler = Crawler.builder().seed("http://127.0.0.1:8080/").build();
 *     ResultWriter out = ResultWriter.jsonLines(Files.newBufferedWriter(path))) {
 *   CrawlSummary summary = crawler.crawl(out);
 * }
 * }</pre>
 *
 * <p>Thread-safety: a crawler runs one crawl at a time; {@link #cancel()} and {@link #progress()}
 * may be called from any thread. The result consumer is called from many threads at once and must
 * be thread-safe ({@link ResultWriter} is); actions of a page's task happen-before the consumer is
 * called with its result, and every consumer call happens-before {@link #crawl} returns.
 */
public final class Crawler implements AutoCloseable {

  private final CrawlScope scope;
  private final CrawlSettings settings;
  private final OkHttpClient client;
  private final AtomicReference<CrawlRun> current = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private Crawler(CrawlScope scope, CrawlSettings settings, OkHttpClient client) {
    this.scope = scope;
    this.settings = settings;
    this.client = client;
  }

  /** A builder with the defaults listed on each of its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Crawls from the seeds until no URL is left, sending each result to {@code results} as soon as
   * it is known, and returns the totals.
   *
   * <p>If the calling thread is interrupted, or {@link #cancel()} is called, the crawl stops: calls
   * in flight are cancelled, waiting tasks are interrupted, the URLs not yet fetched are reported
   * as {@link PageResult.Outcome#SKIPPED} and the summary says the crawl was cancelled. The
   * interrupt status of the calling thread is kept.
   *
   * @throws IllegalStateException if this crawler is already crawling or is closed
   * @throws RuntimeException whatever {@code results} threw first; the crawl is cancelled then
   */
  public CrawlSummary crawl(Consumer<? super PageResult> results) {
    Objects.requireNonNull(results, "results");
    if (closed.get()) {
      throw new IllegalStateException("crawler is closed");
    }
    CrawlRun run = new CrawlRun(scope, settings, client, results);
    if (!current.compareAndSet(null, run)) {
      throw new IllegalStateException("this crawler is already crawling; run one crawl at a time");
    }
    if (closed.get()) {
      current.set(null);
      throw new IllegalStateException("crawler is closed");
    }
    try {
      return run.execute();
    } finally {
      current.set(null);
    }
  }

  /** How this crawler crawls: what its builder was told, defaults filled in. */
  public CrawlSettings settings() {
    return settings;
  }

  /** Cancels the crawl in progress, if any, and returns at once; {@link #crawl} returns soon. */
  public void cancel() {
    CrawlRun run = current.get();
    if (run != null) {
      run.cancel();
    }
  }

  /** The counters of the crawl in progress, or of nothing ({@link CrawlProgress#IDLE}). */
  public CrawlProgress progress() {
    CrawlRun run = current.get();
    return run == null ? CrawlProgress.IDLE : run.progress();
  }

  /** Connections in the client's pool, open or idle: zero once the crawler is closed. */
  int pooledConnections() {
    return client.connectionPool().connectionCount();
  }

  /**
   * Cancels any crawl in progress and releases the HTTP client: its dispatcher's executor is shut
   * down and its pooled connections are closed. No thread or socket of this crawler outlives the
   * crawl; OkHttp's JVM-wide daemon threads ({@code OkHttp TaskRunner}, {@code Okio Watchdog}),
   * shared by every client, stop by themselves once idle. Later {@link #crawl} calls throw {@link
   * IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    closed.set(true);
    cancel();
    ExecutorService dispatcher = client.dispatcher().executorService();
    dispatcher.shutdownNow();
    client.connectionPool().evictAll();
  }

  /**
   * Configures a {@link Crawler}. Starts from {@link CrawlSettings#DEFAULTS}, the defaults each
   * method states. Not thread-safe; {@link #build()} validates everything and fails with {@link
   * IllegalArgumentException} naming the bad setting.
   */
  public static final class Builder {

    private static final CrawlSettings DEFAULTS = CrawlSettings.DEFAULTS;

    private final List<String> seeds = new ArrayList<>();
    private Set<String> allowedHosts;
    private int maxPages = DEFAULTS.maxPages();
    private int maxDepth = DEFAULTS.maxDepth();
    private int concurrency = DEFAULTS.concurrency();
    private int perHostConcurrency = DEFAULTS.perHostConcurrency();
    private Duration politenessDelay = DEFAULTS.politenessDelay();
    private String userAgent = DEFAULTS.userAgent();
    private Duration connectTimeout = DEFAULTS.connectTimeout();
    private Duration readTimeout = DEFAULTS.readTimeout();
    private Duration callTimeout = DEFAULTS.callTimeout();
    private int maxRetries = DEFAULTS.maxRetries();
    private Duration baseBackoff = DEFAULTS.baseBackoff();
    private Duration maxBackoff = DEFAULTS.maxBackoff();
    private Duration maxRetryAfter = DEFAULTS.maxRetryAfter();
    private int maxRedirects = DEFAULTS.maxRedirects();
    private long maxBodyBytes = DEFAULTS.maxBodyBytes();

    private Builder() {}

    /** Adds a seed URL (http or https). At least one is required. */
    public Builder seed(String url) {
      seeds.add(Objects.requireNonNull(url, "url"));
      return this;
    }

    /** Adds seed URLs (http or https). */
    public Builder seeds(List<String> urls) {
      urls.forEach(this::seed);
      return this;
    }

    /**
     * The hosts whose pages are crawled; links elsewhere are ignored. Default: the seeds' hosts.
     */
    public Builder allowedHosts(Set<String> hosts) {
      this.allowedHosts = Set.copyOf(hosts);
      return this;
    }

    /** How many URLs are admitted to the crawl; later ones are skipped. Default 1 000. */
    public Builder maxPages(int maxPages) {
      this.maxPages = maxPages;
      return this;
    }

    /** How many links away from a seed the crawl goes (seeds are depth 0). Default 5. */
    public Builder maxDepth(int maxDepth) {
      this.maxDepth = maxDepth;
      return this;
    }

    /** Requests in flight over all hosts. Default 16. */
    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /**
     * Requests in flight to one host. Default 2. A value above {@link #concurrency} leaves the
     * global limit alone in force, as for a crawl of one host that may use every slot.
     */
    public Builder perHostConcurrency(int perHostConcurrency) {
      this.perHostConcurrency = perHostConcurrency;
      return this;
    }

    /**
     * The rest a host slot takes after each response before it sends the next request; robots.txt
     * Crawl-delay raises it for its host. Default 100 ms.
     */
    public Builder politenessDelay(Duration delay) {
      this.politenessDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * The User-Agent header, whose product token also selects the robots.txt group. Default {@code
     * concurrency-course-crawler/1.0}.
     */
    public Builder userAgent(String userAgent) {
      this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
      return this;
    }

    /** Connect timeout per request. Default 5 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Longest silence while reading a response. Default 10 s. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Longest whole request, body included. Default 30 s. */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Retries after a first failed attempt (I/O error, 5xx or 429). Default 2. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * The back-off before the first retry, doubled for each further retry up to {@code max}, then
     * jittered. Default 200 ms up to 5 s.
     */
    public Builder backoff(Duration base, Duration max) {
      this.baseBackoff = Objects.requireNonNull(base, "base");
      this.maxBackoff = Objects.requireNonNull(max, "max");
      return this;
    }

    /** The longest Retry-After the crawler waits for; longer ones fail the URL. Default 30 s. */
    public Builder maxRetryAfter(Duration max) {
      this.maxRetryAfter = Objects.requireNonNull(max, "max");
      return this;
    }

    /** How many redirects in a row are followed before the URL fails. Default 5. */
    public Builder maxRedirects(int maxRedirects) {
      this.maxRedirects = maxRedirects;
      return this;
    }

    /** The largest body read; larger ones fail the URL. Default 2 MiB. */
    public Builder maxBodyBytes(long maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * Builds the crawler.
     *
     * @throws IllegalArgumentException if there is no seed, a seed is not an http(s) URL, or a
     *     number or duration is out of range (see {@link CrawlSettings#CrawlSettings})
     */
    public Crawler build() {
      if (seeds.isEmpty()) {
        throw new IllegalArgumentException("at least one seed URL is required");
      }
      Set<HttpUrl> seedUrls = new LinkedHashSet<>();
      for (String seed : seeds) {
        HttpUrl url = HttpUrl.parse(seed.strip());
        if (url == null) {
          throw new IllegalArgumentException("not an http or https URL: '" + seed + "'");
        }
        seedUrls.add(HtmlPage.normalize(url));
      }
      Set<String> hosts = new LinkedHashSet<>();
      if (allowedHosts == null) {
        seedUrls.forEach(url -> hosts.add(url.host()));
      } else {
        allowedHosts.forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
      }
      CrawlSettings settings =
          new CrawlSettings(
              maxPages,
              maxDepth,
              concurrency,
              perHostConcurrency,
              politenessDelay,
              userAgent,
              connectTimeout,
              readTimeout,
              callTimeout,
              maxRetries,
              baseBackoff,
              maxBackoff,
              maxRetryAfter,
              maxRedirects,
              maxBodyBytes);
      OkHttpClient client =
          new OkHttpClient.Builder()
              // Redirects are links to the crawler, so that each URL is fetched at most once.
              .followRedirects(false)
              .followSslRedirects(false)
              // OkHttp still retries on its own a pooled connection the server had already closed,
              // and an unreachable route: races, not failures, and not worth a back-off.
              .retryOnConnectionFailure(true)
              .connectTimeout(settings.connectTimeout())
              .readTimeout(settings.readTimeout())
              .writeTimeout(settings.readTimeout())
              .callTimeout(settings.callTimeout())
              .connectionPool(new ConnectionPool(settings.concurrency(), 1, TimeUnit.MINUTES))
              .build();
      return new Crawler(new CrawlScope(List.copyOf(seedUrls), hosts), settings, client);
    }
  }
}
