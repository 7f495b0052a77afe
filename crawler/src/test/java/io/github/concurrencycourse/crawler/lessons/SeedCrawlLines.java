package io.github.concurrencycourse.crawler.lessons;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.Pace;
import io.github.concurrencycourse.testkit.LessonRun;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed-style lines a crawler lesson printed (线程 [..] 正在下载[..], url[..] 大小[..]), read back: the
 * lesson runs through the testkit's {@link LessonRun} at test pace.
 */
record SeedCrawlLines(String text) {

  private static final Pattern DOWNLOAD = Pattern.compile("线程 \\[(.+?)\\] 正在下载\\[(.+?)\\]");
  private static final Pattern PARSE = Pattern.compile("线程\\[(.+?)\\]正在解析\\[(.+?)\\]");
  private static final Pattern SEED_LINE = Pattern.compile("url\\[(.+?)\\] 大小\\[(\\d+)\\]");

  static SeedCrawlLines run(Lesson lesson) throws Exception {
    return new SeedCrawlLines(LessonRun.run(lesson, Pace.TEST));
  }

  /** URL to the thread that downloaded it. */
  Map<String, String> downloads() {
    return pairs(DOWNLOAD, 2, 1);
  }

  /** URL to the thread that parsed it. */
  Map<String, String> parses() {
    return pairs(PARSE, 2, 1);
  }

  /** URL to the size its {@code url[...] 大小[...]} line gave. */
  Map<String, Long> sizes() {
    Map<String, Long> sizes = new LinkedHashMap<>();
    pairs(SEED_LINE, 1, 2).forEach((url, size) -> sizes.put(url, Long.parseLong(size)));
    return sizes;
  }

  /** The number after {@code prefix}, as printed once by the lesson. */
  int numberAfter(String prefix) {
    Matcher matcher = Pattern.compile(Pattern.quote(prefix) + "(\\d+)").matcher(text);
    if (!matcher.find()) {
      throw new AssertionError("no '" + prefix + "<n>' in:\n" + text);
    }
    return Integer.parseInt(matcher.group(1));
  }

  private Map<String, String> pairs(Pattern pattern, int keyGroup, int valueGroup) {
    Map<String, String> pairs = new LinkedHashMap<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      if (pairs.put(matcher.group(keyGroup), matcher.group(valueGroup)) != null) {
        throw new AssertionError("'" + matcher.group(keyGroup) + "' printed twice in:\n" + text);
      }
    }
    return pairs;
  }
}
