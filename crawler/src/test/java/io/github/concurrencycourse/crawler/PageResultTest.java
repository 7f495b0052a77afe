package io.github.concurrencycourse.crawler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.concurrencycourse.crawler.PageResult.Outcome;
import org.junit.jupiter.api.Test;

/** Each outcome's factory fills in the components that outcome promises, and no others. */
class PageResultTest {

  private static final String URL = "http://127.0.0.1/page/1.html";

  @Test
  void aUrlNeverRequestedHasNoAnswerOnlyItsReason() {
    assertThat(PageResult.skipped(URL, 6, "max depth: deeper than 5"))
        .isEqualTo(
            new PageResult(
                URL, null, Outcome.SKIPPED, 0, 0, null, 0, 6, 0, "max depth: deeper than 5"));
    assertThat(PageResult.disallowed(URL, 2))
        .isEqualTo(
            new PageResult(URL, null, Outcome.DISALLOWED, 0, 0, null, 0, 2, 0, "robots.txt"));
  }

  @Test
  void aFetchedPageCarriesWhatItsAnswerSaid() {
    PageResult parsed =
        PageResult.requested(URL, 1)
            .status(200)
            .bytes(1_234)
            .page("Page 1", 11)
            .elapsedMs(21)
            .fetched();
    PageResult notParsed = PageResult.requested(URL, 1).status(203).bytes(99).fetched();

    assertThat(parsed)
        .isEqualTo(
            new PageResult(URL, URL, Outcome.FETCHED, 200, 1_234, "Page 1", 11, 1, 21, null));
    assertThat(notParsed)
        .isEqualTo(new PageResult(URL, URL, Outcome.FETCHED, 203, 99, null, 0, 1, 0, null));
  }

  @Test
  void aRedirectEndsAtItsTarget() {
    String target = "http://127.0.0.1/page/2.html";

    assertThat(PageResult.requested(URL, 3).status(301).elapsedMs(4).redirected(target))
        .isEqualTo(new PageResult(URL, target, Outcome.REDIRECTED, 301, 0, null, 0, 3, 4, null));
  }

  @Test
  void aFailureKeepsItsReasonAndWhereTheAnswerCameFrom() {
    assertThat(PageResult.requested(URL, 0).status(404).elapsedMs(5).failed("HTTP 404"))
        .isEqualTo(new PageResult(URL, URL, Outcome.FAILED, 404, 0, null, 0, 0, 5, "HTTP 404"));
    assertThat(PageResult.requested(URL, 0).elapsedMs(9).failed("timeout: read"))
        .extracting(PageResult::status, PageResult::finalUrl)
        .containsExactly(0, URL);
    assertThat(PageResult.requested(URL, 0).status(302).finalUrl(null).failed("bad redirect"))
        .extracting(PageResult::finalUrl, PageResult::outcome)
        .containsExactly(null, Outcome.FAILED);
  }

  @Test
  void everyOutcomeNeedsItsReasonOrTarget() {
    assertThatThrownBy(() -> PageResult.skipped(URL, 0, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> PageResult.requested(URL, 0).failed(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("error");
    assertThatThrownBy(() -> PageResult.requested(URL, 0).redirected(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("target");
  }
}
