package io.github.concurrencycourse.crawler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class HtmlPageTest {

  private static final HttpUrl PAGE = HttpUrl.get("http://example.test/dir/page.html?q=1");

  @Test
  void linksAreResolvedAgainstThePageNormalizedAndDistinctInDocumentOrder() {
    HtmlPage page =
        parse(
            """
            <html><head><title> A  title </title></head><body>
            <a href="b.html">sibling</a>
            <a href="../up.html#section">parent, with a fragment</a>
            <a href="/root.html">absolute path</a>
            <a href="HTTP://EXAMPLE.test:80/dir/./b.html">same as the sibling</a>
            <a href="?other=2">query only</a>
            <a href="//other.test/x">scheme-relative</a>
            <map><area href="area.html"></map>
            <a href="  spaced.html  ">spaces around</a>
            <a name="no-href">no href</a>
            </body></html>
            """);

    assertThat(page.title()).isEqualTo("A title");
    assertThat(page.links())
        .extracting(HttpUrl::toString)
        .containsExactly(
            "http://example.test/dir/b.html",
            "http://example.test/up.html",
            "http://example.test/root.html",
            "http://example.test/dir/page.html?other=2",
            "http://other.test/x",
            "http://example.test/dir/area.html",
            "http://example.test/dir/spaced.html");
  }

  @Test
  void baseHrefChangesWhatLinksAreResolvedAgainst() {
    HtmlPage page =
        parse(
            """
            <html><head><base href="/other/"><title>t</title></head>
            <body><a href="x.html">x</a><a href=y.html#f>unquoted</a></body></html>
            """);

    assertThat(page.links())
        .extracting(HttpUrl::toString)
        .containsExactly("http://example.test/other/x.html", "http://example.test/other/y.html");
  }

  @Test
  void onlyHttpAndHttpsLinksAreKept() {
    HtmlPage page =
        parse(
            """
            <a href="javascript:void(0)">script</a>
            <a href="mailto:someone@example.test">mail</a>
            <a href="ftp://example.test/file">ftp</a>
            <a href="https://secure.test/">https</a>
            <a href="#top">fragment only: the page itself</a>
            """);

    assertThat(page.links())
        .extracting(HttpUrl::toString)
        .containsExactly("https://secure.test/", "http://example.test/dir/page.html?q=1");
  }

  @Test
  void withoutACharsetTheDocumentsOwnDeclarationIsUsed() {
    byte[] latin1 =
        "<html><head><meta charset=\"iso-8859-1\"><title>café</title></head></html>"
            .getBytes(StandardCharsets.ISO_8859_1);

    assertThat(HtmlPage.parse(latin1, null, PAGE).title()).isEqualTo("café");
  }

  @Test
  void aPageWithoutTitleOrLinksHasNeither() {
    HtmlPage page = parse("<p>just text</p>");

    assertThat(page.title()).isNull();
    assertThat(page.links()).isEmpty();
  }

  private static HtmlPage parse(String html) {
    Charset utf8 = StandardCharsets.UTF_8;
    return HtmlPage.parse(html.getBytes(utf8), utf8, PAGE);
  }
}
