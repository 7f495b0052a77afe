package io.github.concurrencycourse.crawler;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One crawl: the frontier, the dedup set, the host gates and the counters, and the workers (a
 * virtual thread per busy host slot) that do the work.
 *
 * <p>Every discovered URL on an allowed host is claimed once in {@link #seen}; the claimer either
 * reports it at once (skipped) or queues it at its host's gate, starting a worker if the host has a
 * free slot, and the worker that takes it reports it exactly once. {@link #pending} counts queued
 * URLs not yet reported; a worker registers the links it finds before it reports the page, so the
 * count reaches zero only when the crawl has run out of URLs.
 *
 * <p>Thread-safe: {@link #cancel} and {@link #progress} may be called from any thread while {@link
 * #execute} runs.
 */
final class CrawlRun {

  private static final Logger log = LoggerFactory.getLogger(Crawler.class);

  private final CrawlScope scope;
  private final CrawlSettings settings;
  private final RetryPolicy retryPolicy;
  private final OkHttpClient client;
  private final Consumer<? super PageResult> results;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Map<String, HostGate<Target>> gates = new ConcurrentHashMap<>();
  private final Set<Call> calls = ConcurrentHashMap.newKeySet();
  private final Semaphore global;
  private final ExecutorService workers =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("crawler-worker-", 0).factory());
  private final AtomicLong pending = new AtomicLong();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final Map<PageResult.Outcome, LongAdder> outcomes = newOutcomeCounters();
  private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
  private final AtomicReference<RuntimeException> consumerFailure = new AtomicReference<>();
  private final long startNanos = System.nanoTime();
  private volatile boolean cancelled;

  CrawlRun(
      CrawlScope scope,
      CrawlSettings settings,
      OkHttpClient client,
      Consumer<? super PageResult> results) {
    this.scope = scope;
    this.settings = settings;
    this.retryPolicy = settings.retryPolicy();
    this.client = client;
    this.results = results;
    this.global = new Semaphore(settings.concurrency());
  }

  /** Crawls until no URL is left or the crawl is cancelled; see {@link Crawler#crawl}. */
  CrawlSummary execute() {
    pending.incrementAndGet();
    for (HttpUrl seed : scope.seeds()) {
      discover(seed, 0, List.of());
    }
    taskFinished();
    boolean interrupted = false;
    while (true) {
      try {
        finished.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        cancel();
      }
    }
    workers.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    RuntimeException failure = consumerFailure.get();
    if (failure != null) {
      throw failure;
    }
    return summary();
  }

  /**
   * Stops the crawl: no new worker starts, workers are interrupted and report their hosts' waiting
   * URLs as skipped, calls are cancelled.
   */
  void cancel() {
    cancelled = true;
    workers.shutdownNow();
    calls.forEach(Call::cancel);
  }

  CrawlProgress progress() {
    return new CrawlProgress(
        done.get(),
        inFlight.get(),
        outcomes.get(PageResult.Outcome.FAILED).sum(),
        outcomes.get(PageResult.Outcome.FETCHED).sum(),
        Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /**
   * Claims {@code url} if it is on an allowed host and new, then reports it as skipped or queues it
   * at its host's gate.
   */
  private void discover(HttpUrl url, int depth, List<String> redirectChain) {
    if (!scope.allowedHosts().contains(url.host())) {
      return;
    }
    String key = url.toString();
    if (!seen.add(key)) {
      return;
    }
    if (depth > settings.maxDepth()) {
      emit(PageResult.skipped(key, depth, "max depth: deeper than " + settings.maxDepth()));
    } else if (admitted.incrementAndGet() > settings.maxPages()) {
      emit(PageResult.skipped(key, depth, "max pages: more than " + settings.maxPages()));
    } else if (cancelled) {
      emit(PageResult.skipped(key, depth, "cancelled"));
    } else {
      pending.incrementAndGet();
      HostGate<Target> gate =
          gates.computeIfAbsent(
              origin(url),
              origin ->
                  new HostGate<>(
                      settings.perHostConcurrency(),
                      settings.politenessDelay(),
                      () -> fetchRobots(url)));
      if (gate.offer(new Target(url, depth, redirectChain))) {
        startWorker(gate);
      }
    }
  }

  private void startWorker(HostGate<Target> gate) {
    try {
      workers.execute(() -> work(gate));
    } catch (RejectedExecutionException e) {
      // Only a cancelled crawl refuses a worker; the host's waiting URLs are reported here instead.
      work(gate);
    }
  }

  /** One slot of a host: visits the host's waiting URLs in turn until none is left. */
  private void work(HostGate<Target> gate) {
    for (Target target = gate.next(); target != null; target = gate.next()) {
      try {
        visit(gate, target);
      } finally {
        taskFinished();
      }
    }
  }

  private void visit(HostGate<Target> gate, Target target) {
    HttpUrl url = target.url();
    int depth = target.depth();
    String key = url.toString();
    boolean requested = false;
    try {
      if (cancelled) {
        throw new InterruptedException("cancelled");
      }
      RobotsRules rules = gate.robots();
      if (cancelled) {
        throw new InterruptedException("cancelled");
      }
      if (!rules.allows(pathAndQuery(url))) {
        emit(PageResult.disallowed(key, depth));
        return;
      }
      requested = true;
      fetch(gate, url, depth, target.redirectChain());
    } catch (InterruptedException e) {
      emit(PageResult.skipped(key, depth, "cancelled"));
    } catch (RuntimeException e) {
      // A bug must not lose the URL's result: the summary promises one per discovered URL.
      log.error("crawling {} failed unexpectedly", key, e);
      emit(PageResult.requested(key, depth).failed("internal error: " + e));
    } finally {
      if (requested) {
        rest(gate);
      }
    }
  }

  private static void rest(HostGate<?> gate) {
    try {
      gate.rest();
    } catch (InterruptedException e) {
      // Cancelled while resting: the worker goes on to report its host's waiting URLs as skipped.
      Thread.currentThread().interrupt();
    }
  }

  /** Fetches {@code url} with retries, reports it, and hands on the links or redirect it found. */
  private void fetch(HostGate<?> gate, HttpUrl url, int depth, List<String> redirectChain)
      throws InterruptedException {
    String key = url.toString();
    long start = System.nanoTime();
    Answer answer;
    int attempt = 1;
    while (true) {
      answer = request(url);
      if (!answer.retryable() || attempt > retryPolicy.maxRetries()) {
        break;
      }
      Duration wait = retryPolicy.backoff(attempt - 1);
      Optional<Duration> retryAfter =
          RetryPolicy.parseRetryAfter(answer.retryAfter(), Instant.now());
      if (retryAfter.isPresent() && retryAfter.get().compareTo(retryPolicy.maxRetryAfter()) > 0) {
        answer =
            answer.withError(
                "HTTP "
                    + answer.status()
                    + ": Retry-After "
                    + retryAfter.get().toSeconds()
                    + " s is longer than "
                    + retryPolicy.maxRetryAfter().toSeconds()
                    + " s");
        break;
      }
      wait = max(wait, retryAfter.orElse(Duration.ZERO), gate.delay());
      log.debug("{} attempt {} failed ({}); retrying in {}", key, attempt, answer.error(), wait);
      // The host slot is kept: a host that answered 429 or 5xx gets no other request meanwhile.
      Thread.sleep(wait);
      attempt++;
    }
    PageResult.Builder result =
        PageResult.requested(key, depth)
            .status(answer.status())
            .elapsedMs((System.nanoTime() - start) / 1_000_000);
    if (answer.error() != null) {
      String error = attempt > 1 ? answer.error() + " (" + attempt + " attempts)" : answer.error();
      emit(result.failed(error));
    } else if (answer.isRedirect()) {
      redirected(url, depth, redirectChain, answer, result);
    } else {
      fetched(url, depth, answer, result);
    }
  }

  private void fetched(HttpUrl url, int depth, Answer answer, PageResult.Builder result) {
    result.bytes(answer.body().size());
    if (!answer.isHtml()) {
      emit(result.fetched());
      return;
    }
    HtmlPage page = HtmlPage.parse(answer.body().toByteArray(), answer.charset(), url);
    emit(result.page(page.title(), page.links().size()).fetched());
    for (HttpUrl link : page.links()) {
      discover(link, depth + 1, List.of());
    }
  }

  private void redirected(
      HttpUrl url,
      int depth,
      List<String> redirectChain,
      Answer answer,
      PageResult.Builder result) {
    String key = url.toString();
    HttpUrl target = answer.location() == null ? null : url.resolve(answer.location());
    String error = null;
    List<String> chain = new ArrayList<>(redirectChain);
    chain.add(key);
    if (target == null) {
      error = "bad redirect: Location '" + answer.location() + "' is not an http(s) URL";
    } else {
      target = HtmlPage.normalize(target);
      if (chain.contains(target.toString())) {
        error = "redirect loop: " + String.join(" -> ", chain) + " -> " + target;
      } else if (chain.size() > settings.maxRedirects()) {
        error = "too many redirects: more than " + settings.maxRedirects();
      }
    }
    if (error != null) {
      emit(result.finalUrl(target == null ? null : target.toString()).failed(error));
      return;
    }
    emit(result.redirected(target.toString()));
    discover(target, depth, List.copyOf(chain));
  }

  /**
   * Sends one request, holding a global permit, and reads the answer. A body is read only for a 2xx
   * response, and only up to the size limit.
   *
   * @throws InterruptedException if the crawl was cancelled meanwhile
   */
  private Answer request(HttpUrl url) throws InterruptedException {
    global.acquire();
    Call call =
        client.newCall(
            new Request.Builder().url(url).header("User-Agent", settings.userAgent()).build());
    calls.add(call);
    inFlight.incrementAndGet();
    requests.incrementAndGet();
    try {
      if (cancelled) {
        throw new InterruptedException("cancelled");
      }
      try (Response response = call.execute()) {
        return read(response);
      }
    } catch (IOException e) {
      if (cancelled) {
        throw new InterruptedException("cancelled");
      }
      return Answer.ioError(e);
    } finally {
      inFlight.decrementAndGet();
      calls.remove(call);
      global.release();
    }
  }

  private Answer read(Response response) throws IOException {
    int status = response.code();
    if (status >= 300 && status < 400) {
      return Answer.redirect(status, response.header("Location"));
    }
    if (RetryPolicy.retryableStatus(status)) {
      return Answer.httpError(status, true, response.header("Retry-After"));
    }
    if (status >= 400 || status < 200) {
      return Answer.httpError(status, false, null);
    }
    ResponseBody body = response.body();
    long limit = settings.maxBodyBytes();
    long declared = body.contentLength();
    if (declared > limit) {
      return Answer.tooLarge(status, "declares " + declared + " bytes, limit " + limit);
    }
    BufferedSource source = body.source();
    if (source.request(limit + 1)) {
      return Answer.tooLarge(status, "more than " + limit + " bytes");
    }
    ByteString bytes = source.getBuffer().readByteString();
    return Answer.ok(status, bytes, body.contentType());
  }

  private RobotsRules fetchRobots(HttpUrl anyUrlOfHost) throws InterruptedException {
    HttpUrl robotsUrl =
        anyUrlOfHost.newBuilder().encodedPath("/robots.txt").query(null).fragment(null).build();
    Answer answer = request(robotsUrl);
    for (int retry = 0; answer.retryable() && retry < retryPolicy.maxRetries(); retry++) {
      Thread.sleep(retryPolicy.backoff(retry));
      answer = request(robotsUrl);
    }
    if (answer.isOk()) {
      return RobotsRules.parse(
          answer
              .body()
              .string(answer.charset() == null ? StandardCharsets.UTF_8 : answer.charset()),
          settings.userAgent());
    }
    // RFC 9309: an unreachable robots.txt (5xx, network error) forbids everything; a missing one
    // (4xx) or an unusable one allows everything.
    return answer.retryable() ? RobotsRules.disallowAll() : RobotsRules.allowAll();
  }

  private void emit(PageResult result) {
    outcomes.get(result.outcome()).increment();
    if (result.error() != null) {
      reasons.computeIfAbsent(category(result), r -> new LongAdder()).increment();
    }
    done.incrementAndGet();
    if (consumerFailure.get() != null) {
      return;
    }
    try {
      results.accept(result);
    } catch (RuntimeException e) {
      if (consumerFailure.compareAndSet(null, e)) {
        log.warn("the result consumer failed; cancelling the crawl", e);
        cancel();
      }
    }
  }

  private void taskFinished() {
    if (pending.decrementAndGet() == 0) {
      finished.countDown();
    }
  }

  private CrawlSummary summary() {
    Map<PageResult.Outcome, Long> counts = new EnumMap<>(PageResult.Outcome.class);
    for (PageResult.Outcome outcome : PageResult.Outcome.values()) {
      counts.put(outcome, outcomes.get(outcome).sum());
    }
    TreeMap<String, Long> reasonCounts = new TreeMap<>();
    reasons.forEach((reason, count) -> reasonCounts.put(reason, count.sum()));
    return new CrawlSummary(
        counts,
        reasonCounts,
        requests.get(),
        Duration.ofNanos(System.nanoTime() - startNanos),
        cancelled);
  }

  /** The part of an error before its first colon: what the summary counts. */
  private static String category(PageResult result) {
    String error = result.error();
    int colon = error.indexOf(':');
    String reason = colon < 0 ? error : error.substring(0, colon);
    return result.outcome().name().toLowerCase(Locale.ROOT) + ": " + reason;
  }

  private static Map<PageResult.Outcome, LongAdder> newOutcomeCounters() {
    Map<PageResult.Outcome, LongAdder> counters = new EnumMap<>(PageResult.Outcome.class);
    for (PageResult.Outcome outcome : PageResult.Outcome.values()) {
      counters.put(outcome, new LongAdder());
    }
    return Collections.unmodifiableMap(counters);
  }

  private static String origin(HttpUrl url) {
    return url.scheme() + "://" + url.host() + ":" + url.port();
  }

  private static String pathAndQuery(HttpUrl url) {
    String query = url.encodedQuery();
    return query == null ? url.encodedPath() : url.encodedPath() + "?" + query;
  }

  private static Duration max(Duration a, Duration b, Duration c) {
    Duration ab = a.compareTo(b) >= 0 ? a : b;
    return ab.compareTo(c) >= 0 ? ab : c;
  }

  /** A URL waiting at its host's gate, with the depth and redirects that led to it. */
  private record Target(HttpUrl url, int depth, List<String> redirectChain) {}

  /** What one request produced. */
  private record Answer(
      int status,
      ByteString body,
      MediaType contentType,
      String location,
      String retryAfter,
      boolean retryable,
      String error) {

    static Answer ok(int status, ByteString body, MediaType contentType) {
      return new Answer(status, body, contentType, null, null, false, null);
    }

    static Answer redirect(int status, String location) {
      return new Answer(status, null, null, location, null, false, null);
    }

    static Answer httpError(int status, boolean retryable, String retryAfter) {
      return new Answer(status, null, null, null, retryAfter, retryable, "HTTP " + status);
    }

    static Answer tooLarge(int status, String detail) {
      return new Answer(status, null, null, null, null, false, "too large: body " + detail);
    }

    static Answer ioError(IOException e) {
      boolean timeout =
          e instanceof SocketTimeoutException
              || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()));
      String detail = e.getClass().getSimpleName() + " " + e.getMessage();
      return new Answer(
          0, null, null, null, null, true, (timeout ? "timeout: " : "I/O error: ") + detail);
    }

    Answer withError(String newError) {
      return new Answer(status, body, contentType, location, retryAfter, false, newError);
    }

    boolean isOk() {
      return error == null && body != null;
    }

    boolean isRedirect() {
      return error == null && body == null;
    }

    boolean isHtml() {
      return contentType != null
          && ((contentType.type().equals("text") && contentType.subtype().equals("html"))
              || (contentType.type().equals("application")
                  && contentType.subtype().equals("xhtml+xml")));
    }

    Charset charset() {
      return contentType == null ? null : contentType.charset();
    }
  }
}
