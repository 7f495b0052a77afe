package io.github.concurrencycourse.crawler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The part of a robots.txt file (RFC 9309) that applies to one crawler: its Allow and Disallow
 * rules and its Crawl-delay.
 *
 * <p>The group is chosen by the crawler's product token (the user agent up to the first {@code /}),
 * compared without regard to case; if no group names it, the {@code *} group applies; if there is
 * none either, everything is allowed. Several groups for the same agent are merged. A path is
 * allowed unless its longest matching rule is a Disallow; on a tie Allow wins. Patterns may use
 * {@code *} (any characters) and a final {@code $} (end of path). Lines the parser does not
 * understand are ignored, as the RFC asks.
 *
 * <p>Immutable and thread-safe.
 */
public final class RobotsRules {

  private static final RobotsRules ALLOW_ALL = new RobotsRules(List.of(), Optional.empty());
  private static final RobotsRules DISALLOW_ALL =
      new RobotsRules(List.of(new Rule("/", false)), Optional.empty());

  private final List<Rule> rules;
  private final Optional<Duration> crawlDelay;

  private RobotsRules(List<Rule> rules, Optional<Duration> crawlDelay) {
    this.rules = List.copyOf(rules);
    this.crawlDelay = crawlDelay;
  }

  /** Rules that allow every path: what a missing robots.txt (4xx) means. */
  public static RobotsRules allowAll() {
    return ALLOW_ALL;
  }

  /** Rules that forbid every path: what an unreachable robots.txt (5xx, I/O error) means. */
  public static RobotsRules disallowAll() {
    return DISALLOW_ALL;
  }

  /**
   * Parses a robots.txt body for the crawler whose User-Agent header is {@code userAgent}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static RobotsRules parse(String robotsTxt, String userAgent) {
    String token = productToken(userAgent);
    List<Rule> mine = new ArrayList<>();
    List<Rule> anyone = new ArrayList<>();
    Duration myDelay = null;
    Duration anyDelay = null;
    boolean named = false;
    List<String> agents = new ArrayList<>();
    boolean inRules = false;
    for (String rawLine : (Iterable<String>) robotsTxt.lines()::iterator) {
      int hash = rawLine.indexOf('#');
      String line = (hash >= 0 ? rawLine.substring(0, hash) : rawLine).strip();
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (key.equals("user-agent")) {
        if (inRules) {
          agents.clear();
          inRules = false;
        }
        agents.add(value.toLowerCase(Locale.ROOT));
        continue;
      }
      if (agents.isEmpty()) {
        continue;
      }
      inRules = true;
      boolean forMe = agents.contains(token);
      boolean forAnyone = agents.contains("*");
      named |= forMe;
      switch (key) {
        case "allow", "disallow" -> {
          if (value.isEmpty()) {
            continue;
          }
          Rule rule = new Rule(value, key.equals("allow"));
          if (forMe) {
            mine.add(rule);
          }
          if (forAnyone) {
            anyone.add(rule);
          }
        }
        case "crawl-delay" -> {
          Duration delay = parseDelay(value);
          if (delay != null && forMe) {
            myDelay = delay;
          }
          if (delay != null && forAnyone) {
            anyDelay = delay;
          }
        }
        default -> {}
      }
    }
    return named
        ? new RobotsRules(mine, Optional.ofNullable(myDelay))
        : new RobotsRules(anyone, Optional.ofNullable(anyDelay));
  }

  /**
   * Whether the crawler may fetch {@code pathAndQuery} (the URL's encoded path, plus {@code ?} and
   * the query if there is one).
   */
  public boolean allows(String pathAndQuery) {
    Rule best = null;
    for (Rule rule : rules) {
      if (rule.matches(pathAndQuery)
          && (best == null
              || rule.length() > best.length()
              || (rule.length() == best.length() && rule.allow()))) {
        best = rule;
      }
    }
    return best == null || best.allow();
  }

  /** The Crawl-delay the file asks of this crawler, if it names one. */
  public Optional<Duration> crawlDelay() {
    return crawlDelay;
  }

  private static String productToken(String userAgent) {
    int slash = userAgent.indexOf('/');
    return (slash >= 0 ? userAgent.substring(0, slash) : userAgent)
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  private static Duration parseDelay(String value) {
    try {
      double seconds = Double.parseDouble(value);
      return Double.isFinite(seconds) && seconds >= 0
          ? Duration.ofNanos(Math.round(seconds * 1e9))
          : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private record Rule(String pattern, boolean allow, Pattern regex) {

    Rule(String pattern, boolean allow) {
      this(pattern, allow, compile(pattern));
    }

    int length() {
      return pattern.length();
    }

    boolean matches(String path) {
      return regex.matcher(path).lookingAt();
    }

    private static Pattern compile(String pattern) {
      boolean anchored = pattern.endsWith("$");
      String body = anchored ? pattern.substring(0, pattern.length() - 1) : pattern;
      StringBuilder regex = new StringBuilder();
      for (String part : body.split("\\*", -1)) {
        if (!regex.isEmpty()) {
          regex.append(".*");
        }
        regex.append(Pattern.quote(part));
      }
      if (anchored) {
        regex.append('$');
      }
      return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
  }
}
