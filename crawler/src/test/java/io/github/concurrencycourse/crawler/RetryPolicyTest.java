package io.github.concurrencycourse.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(30));

  @RepeatedTest(20)
  void backoffDoublesUpToTheCapWithJitterInTheUpperHalf() {
    assertThat(policy.backoff(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(policy.backoff(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(policy.backoff(3)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
    assertThat(policy.backoff(4)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(policy.backoff(100)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    Instant now = Instant.parse("2015-10-21T07:28:00Z");
    assertThat(RetryPolicy.parseRetryAfter("120", now)).contains(Duration.ofMinutes(2));
    assertThat(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now))
        .contains(Duration.ZERO);
    assertThat(RetryPolicy.parseRetryAfter("soon", now)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter("-1", now)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter(null, now)).isEmpty();
  }

  @Test
  void onlyRateLimitsAndServerErrorsAreRetried() {
    assertThat(RetryPolicy.retryableStatus(429)).isTrue();
    assertThat(RetryPolicy.retryableStatus(500)).isTrue();
    assertThat(RetryPolicy.retryableStatus(503)).isTrue();
    assertThat(RetryPolicy.retryableStatus(404)).isFalse();
    assertThat(RetryPolicy.retryableStatus(200)).isFalse();
  }
}
