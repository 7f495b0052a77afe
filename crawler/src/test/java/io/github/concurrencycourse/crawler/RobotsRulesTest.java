package io.github.concurrencycourse.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RobotsRulesTest {

  private static final String AGENT = "course-bot/1.0 (+https://example.invalid)";

  @Test
  void longestMatchWinsAndAllowWinsATie() {
    RobotsRules rules =
        RobotsRules.parse(
            """
            User-agent: *
            Disallow: /shop
            Allow: /shop/catalog
            Disallow: /tie
            Allow: /tie
            """,
            AGENT);
    assertThat(rules.allows("/shop/cart")).isFalse();
    assertThat(rules.allows("/shop/catalog/1")).isTrue();
    assertThat(rules.allows("/tie")).isTrue();
    assertThat(rules.allows("/other")).isTrue();
  }

  @Test
  void wildcardsAndEndAnchor() {
    RobotsRules rules =
        RobotsRules.parse("User-agent: *\nDisallow: /*.pdf$\nDisallow: /tmp*/x\n", AGENT);
    assertThat(rules.allows("/files/a.pdf")).isFalse();
    assertThat(rules.allows("/files/a.pdf?download=1")).isTrue();
    assertThat(rules.allows("/tmp123/x/y")).isFalse();
    assertThat(rules.allows("/tmp123/y")).isTrue();
  }

  @Test
  void ourGroupIsChosenByProductTokenIgnoringCaseAndGroupsMerge() {
    RobotsRules rules =
        RobotsRules.parse(
            """
            # comment lines and unknown keys are ignored
            User-agent: *
            Disallow: /

            User-agent: other-bot
            User-agent: COURSE-BOT
            Disallow: /a   # trailing comment
            Crawl-delay: 1.5
            Sitemap: https://example.invalid/sitemap.xml

            User-agent: course-bot
            Disallow: /b
            """,
            AGENT);
    assertThat(rules.allows("/a")).isFalse();
    assertThat(rules.allows("/b")).isFalse();
    assertThat(rules.allows("/c")).isTrue();
    assertThat(rules.crawlDelay()).contains(Duration.ofMillis(1500));
  }

  @Test
  void starGroupAppliesWhenWeAreNotNamedAndEmptyDisallowAllowsAll() {
    assertThat(RobotsRules.parse("User-agent: *\nDisallow: /x\n", AGENT).allows("/x")).isFalse();
    assertThat(RobotsRules.parse("User-agent: *\nDisallow:\n", AGENT).allows("/x")).isTrue();
    assertThat(RobotsRules.parse("garbage without structure", AGENT).allows("/x")).isTrue();
    assertThat(RobotsRules.parse("User-agent: other\nDisallow: /\n", AGENT).allows("/x")).isTrue();
  }

  @Test
  void fixedRulesForMissingAndUnreachableFiles() {
    assertThat(RobotsRules.allowAll().allows("/anything")).isTrue();
    assertThat(RobotsRules.disallowAll().allows("/anything")).isFalse();
    assertThat(RobotsRules.disallowAll().allows("/")).isFalse();
  }
}
