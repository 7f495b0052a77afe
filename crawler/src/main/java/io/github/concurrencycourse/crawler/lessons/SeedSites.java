package io.github.concurrencycourse.crawler.lessons;

import io.github.concurrencycourse.common.lesson.LessonContext;
import io.github.concurrencycourse.crawler.demo.DemoSite;
import java.util.List;

/**
 * The seed's five sites, served by a local {@link DemoSite} because the course runs without the
 * internet. Each answers after one second of seed time, so at pace 1 the reader watches three
 * downloads at a time, as with the seed's pool of three.
 */
final class SeedSites {

  /** The hosts of the seed's {@code urls} list, in its order. */
  static final List<String> HOSTS =
      List.of(
          "www.baidu.com",
          "www.python.org",
          "www.openstack.org",
          "help.github.com",
          "www.sina.com.cn");

  private SeedSites() {}

  /** Starts the stand-in site and prints which local URL stands for which seed URL. */
  static DemoSite start(LessonContext context) {
    DemoSite site =
        DemoSite.builder()
            .pages(1)
            .faults(false)
            .mirrors(HOSTS)
            .latency(context.pace().seconds(1.0))
            .start();
    context.out().println("No internet here: a local site stands in for the seed's five:");
    for (String host : HOSTS) {
      context.out().printf("  %-20s -> %s%n", host, site.mirrorUrl(host));
    }
    return site;
  }

  /** The local URLs, in the seed's order. */
  static List<String> urls(DemoSite site) {
    return HOSTS.stream().map(site::mirrorUrl).toList();
  }
}
