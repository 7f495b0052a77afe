package io.github.concurrencycourse.crawler.demo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okio.ByteString;

/**
 * One answer of the demo site: what to send, and how long after its request's arrival to send it.
 * Immutable.
 *
 * @param status the HTTP status
 * @param contentType the Content-Type, or {@code null} for none
 * @param body the body, sent with a Content-Length unless {@code chunked}
 * @param headers further headers
 * @param chunked whether the body goes chunked, without a length
 * @param delay how long after the request's arrival the answer is due
 */
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

  static Reply html(String html) {
    return ok("text/html; charset=utf-8", ByteString.encodeUtf8(html));
  }

  static Reply text(int status, String text) {
    return new Reply(
        status, "text/plain", ByteString.encodeUtf8(text), Map.of(), false, Duration.ZERO);
  }

  static Reply notFound() {
    return text(404, "not found");
  }

  static Reply redirect(String location) {
    return new Reply(
        302, null, ByteString.EMPTY, Map.of("Location", location), false, Duration.ZERO);
  }

  /** This answer with {@code header} set to {@code value} as well. */
  Reply withHeader(String header, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(header, value);
    return new Reply(status, contentType, body, Map.copyOf(more), chunked, delay);
  }

  /** This answer, its body sent chunked, without a length. */
  Reply sentChunked() {
    return new Reply(status, contentType, body, headers, true, delay);
  }

  /** This answer, due {@code wait} after its request arrived. */
  Reply after(Duration wait) {
    return new Reply(status, contentType, body, headers, chunked, wait);
  }
}
