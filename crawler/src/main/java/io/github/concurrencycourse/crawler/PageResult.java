package io.github.concurrencycourse.crawler;

import java.util.Objects;

/**
 * What the crawler learned about one URL: one result per URL the crawl discovered on an allowed
 * host, whatever became of it.
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

  /** A result for a URL that was never requested. */
  static PageResult notRequested(String url, Outcome outcome, int depth, String reason) {
    return new PageResult(url, null, outcome, 0, 0, null, 0, depth, 0, reason);
  }
}
