package io.github.concurrencycourse.crawler;

import java.util.Objects;

/**
 * What the crawler learned about one URL: one result per URL the crawl discovered on an allowed
 * host, whatever became of it.
 *
 * <p>Make one per outcome: {@link #skipped} and {@link #disallowed} for a URL that was never
 * requested, and {@link #requested} for one that was, finished by {@link Builder#fetched()}, {@link
 * Builder#redirected(String)} or {@link Builder#failed(String)}. The canonical constructor checks
 * only that the URL and the outcome are present; the factories fill in the rest consistently.
 *
 * <p>Immutable and thread-safe. Serialised as one JSON Lines record by {@link ResultWriter}, with
 * the components as field names.
 *
 * @param url the normalized URL that was discovered
 * @param finalUrl where the answer came from: {@code url} itself, or for {@link Outcome#REDIRECTED}
 *     the redirect's target; {@code null} when nothing was fetched
 * @param outcome what became of the URL
 * @param status the HTTP status of the last response, or 0 when there was none
 * @param bytes the size of the body read, or 0
 * @param title the HTML title, or {@code null} when the page was not parsed or had none
 * @param outLinks the number of distinct links the page holds, after resolving and normalizing
 * @param depth how many links away from a seed the URL was found (seeds are 0)
 * @param elapsedMs wall time from the first request for this URL to its result, retries included
 * @param error why the URL failed, was skipped or was disallowed; {@code null} otherwise
 */
public record PageResult(
    String url,
    String finalUrl,
    Outcome outcome,
    int status,
    long bytes,
    String title,
    int outLinks,
    int depth,
    long elapsedMs,
    String error) {

  /** What became of a discovered URL. Every discovered URL gets exactly one of these. */
  public enum Outcome {
    /** A 2xx response was read in full; HTML was parsed for links, other types were not. */
    FETCHED,
    /** A 3xx response; its target was handed to the crawl as a link of the same depth. */
    REDIRECTED,
    /**
     * No usable answer: an HTTP error that retries did not cure, an I/O error or timeout, a body
     * over the size limit, a redirect loop or too many redirects.
     */
    FAILED,
    /** robots.txt forbids the URL to this crawler; nothing was requested. */
    DISALLOWED,
    /** Not requested because of the depth or page limit, or because the crawl was cancelled. */
    SKIPPED
  }

  /** Checks the components that must be present. */
  public PageResult {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** {@code url}, found {@code depth} links from a seed, was not requested, for {@code reason}. */
  public static PageResult skipped(String url, int depth, String reason) {
    return new PageResult(
        url, null, Outcome.SKIPPED, 0, 0, null, 0, depth, 0, Objects.requireNonNull(reason));
  }

  /**
   * {@code url}, found {@code depth} links from a seed, was not requested: robots.txt forbids it.
   */
  public static PageResult disallowed(String url, int depth) {
    return new PageResult(url, null, Outcome.DISALLOWED, 0, 0, null, 0, depth, 0, "robots.txt");
  }

  /**
   * Starts the result of {@code url}, found {@code depth} links from a seed and requested: set what
   * the answer said, then finish with the outcome.
   */
  public static Builder requested(String url, int depth) {
    return new Builder(url, depth);
  }

  /**
   * The result of a requested URL, filled in as the answer is read. Unset numbers stay 0, unset
   * texts {@code null}; the final URL is the URL itself unless {@link #finalUrl} says otherwise.
   * Not thread-safe; each finishing method may be called more than once, each call making a new
   * result.
   */
  public static final class Builder {

    private final String url;
    private final int depth;
    private String finalUrl;
    private int status;
    private long bytes;
    private String title;
    private int outLinks;
    private long elapsedMs;

    private Builder(String url, int depth) {
      this.url = Objects.requireNonNull(url, "url");
      this.depth = depth;
      this.finalUrl = url;
    }

    /** The HTTP status of the last response; without one (an I/O error), leave it 0. */
    public Builder status(int status) {
      this.status = status;
      return this;
    }

    /** The size of the body read. */
    public Builder bytes(long bytes) {
      this.bytes = bytes;
      return this;
    }

    /** What parsing the page found: its title ({@code null} if none) and its distinct links. */
    public Builder page(String title, int outLinks) {
      this.title = title;
      this.outLinks = outLinks;
      return this;
    }

    /** Wall time from the first request for the URL to its result, retries included. */
    public Builder elapsedMs(long elapsedMs) {
      this.elapsedMs = elapsedMs;
      return this;
    }

    /**
     * Where the answer came from when it was not the URL itself: a redirect's target even when
     * following it failed, or {@code null} when that target is not a URL.
     */
    public Builder finalUrl(String finalUrl) {
      this.finalUrl = finalUrl;
      return this;
    }

    /** A 2xx answer read in full. */
    public PageResult fetched() {
      return build(Outcome.FETCHED, null);
    }

    /** A 3xx answer whose target, {@code target}, goes on to be crawled. */
    public PageResult redirected(String target) {
      finalUrl = Objects.requireNonNull(target, "target");
      return build(Outcome.REDIRECTED, null);
    }

    /** No usable answer, for {@code error}. */
    public PageResult failed(String error) {
      return build(Outcome.FAILED, Objects.requireNonNull(error, "error"));
    }

    private PageResult build(Outcome outcome, String error) {
      return new PageResult(
          url, finalUrl, outcome, status, bytes, title, outLinks, depth, elapsedMs, error);
    }
  }
}
