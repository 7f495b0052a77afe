package io.github.concurrencycourse.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder starts from {@link CrawlSettings#DEFAULTS}, and settings refuse what cannot work. */
class CrawlSettingsTest {

  private static final String SEED = "http://127.0.0.1:9/";

  @Test
  void aCrawlerToldNothingCrawlsWithTheDefaults() {
    try (Crawler crawler = Crawler.builder().seed(SEED).build()) {
      assertThat(crawler.settings()).isEqualTo(CrawlSettings.DEFAULTS);
    }
  }

  @Test
  void theDefaultsAreTheOnesTheBuilderDocuments() {
    CrawlSettings defaults = CrawlSettings.DEFAULTS;

    assertThat(defaults.maxPages()).isEqualTo(1_000);
    assertThat(defaults.maxDepth()).isEqualTo(5);
    assertThat(defaults.concurrency()).isEqualTo(16);
    assertThat(defaults.perHostConcurrency()).isEqualTo(2);
    assertThat(defaults.politenessDelay()).isEqualTo(Duration.ofMillis(100));
    assertThat(defaults.readTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.maxRetries()).isEqualTo(2);
    assertThat(defaults.maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
  }

  @Test
  void everySettingGivenIsKept() {
    try (Crawler crawler =
        Crawler.builder()
            .seed(SEED)
            .maxPages(7)
            .maxDepth(0)
            .concurrency(3)
            .perHostConcurrency(1)
            .politenessDelay(Duration.ZERO)
            .userAgent("grumpy-bot/2")
            .connectTimeout(Duration.ofSeconds(1))
            .readTimeout(Duration.ofSeconds(2))
            .callTimeout(Duration.ofSeconds(3))
            .maxRetries(0)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .maxRetryAfter(Duration.ofSeconds(4))
            .maxRedirects(0)
            .maxBodyBytes(100)
            .build()) {
      assertThat(crawler.settings())
          .isEqualTo(
              new CrawlSettings(
                  7,
                  0,
                  3,
                  1,
                  Duration.ZERO,
                  "grumpy-bot/2",
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(2),
                  Duration.ofSeconds(3),
                  0,
                  Duration.ofMillis(1),
                  Duration.ofMillis(2),
                  Duration.ofSeconds(4),
                  0,
                  100));
    }
  }

  @Test
  void aPerHostLimitAboveTheGlobalOneIsLoweredToIt() {
    try (Crawler crawler =
        Crawler.builder().seed(SEED).perHostConcurrency(Integer.MAX_VALUE).concurrency(5).build()) {
      assertThat(crawler.settings().perHostConcurrency()).isEqualTo(5);
    }
  }

  @Test
  void aSettingOutOfRangeIsNamed() {
    assertThatThrownBy(() -> Crawler.builder().seed(SEED).maxBodyBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBodyBytes must be >= 1, got 0");
    assertThatThrownBy(() -> Crawler.builder().seed(SEED).maxDepth(-1).build())
        .hasMessage("maxDepth must be >= 0, got -1");
    assertThatThrownBy(
            () ->
                Crawler.builder()
                    .seed(SEED)
                    .backoff(Duration.ofMillis(-1), Duration.ofSeconds(1))
                    .build())
        .hasMessage("baseBackoff must not be negative, got PT-0.001S");
    assertThatThrownBy(() -> Crawler.builder().seed(SEED).userAgent(" ").build())
        .hasMessage("userAgent must not be blank");
  }

  @Test
  void everyLimitRefusesTheFirstValueOutOfItsRange() {
    Duration negative = Duration.ofMillis(-1);
    assertRefused(Crawler.builder().maxPages(0), "maxPages must be >= 1, got 0");
    assertRefused(Crawler.builder().concurrency(0), "concurrency must be >= 1, got 0");
    assertRefused(
        Crawler.builder().perHostConcurrency(0), "perHostConcurrency must be >= 1, got 0");
    assertRefused(Crawler.builder().maxRetries(-1), "maxRetries must be >= 0, got -1");
    assertRefused(Crawler.builder().maxRedirects(-1), "maxRedirects must be >= 0, got -1");
    assertRefused(
        Crawler.builder().politenessDelay(negative),
        "politenessDelay must not be negative, got PT-0.001S");
    assertRefused(
        Crawler.builder().backoff(Duration.ZERO, negative),
        "maxBackoff must not be negative, got PT-0.001S");
    assertRefused(
        Crawler.builder().maxRetryAfter(negative),
        "maxRetryAfter must not be negative, got PT-0.001S");
    assertRefused(
        Crawler.builder().connectTimeout(Duration.ZERO),
        "connectTimeout must be positive, got PT0S");
    assertRefused(
        Crawler.builder().readTimeout(Duration.ZERO), "readTimeout must be positive, got PT0S");
    assertRefused(
        Crawler.builder().callTimeout(Duration.ZERO), "callTimeout must be positive, got PT0S");
  }

  private static void assertRefused(Crawler.Builder builder, String message) {
    assertThatThrownBy(() -> builder.seed(SEED).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
