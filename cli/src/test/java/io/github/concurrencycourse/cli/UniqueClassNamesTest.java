package io.github.concurrencycourse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.concurrencycourse.common.lesson.Lesson;
import io.github.concurrencycourse.common.lesson.SeedSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every class of the reactor, main and test code, has a simple name of its own, so that a name in a
 * stack trace, a README or an IDE's search means one class. The one exception: lessons of different
 * modules that port the same seed section may share a name (the queues and the processes {@code
 * ProducerConsumerLesson} both port 生产者消费者模型), and so may their tests.
 *
 * <p>The cli module sees every module's lessons on its class path, so it can ask each lesson which
 * section it ports; the sources are read from the reactor's directories.
 */
class UniqueClassNamesTest {

  private static final String LESSON_PACKAGE = "lessons";

  @Test
  void everyClassNameIsUniqueExceptLessonsThatPortTheSameSeedSection() throws IOException {
    // Surefire runs in the module's directory; the reactor is its parent.
    Path reactor = Path.of("..").toAbsolutePath().normalize();
    Map<String, List<Path>> byName = sourcesByClassName(reactor);
    assertThat(byName).as("classes found under %s", reactor).hasSizeGreaterThan(100);

    List<String> clashes = new ArrayList<>();
    byName.forEach(
        (name, files) -> {
          if (files.size() > 1 && !mayShareAName(reactor, name, files)) {
            clashes.add(
                name
                    + " in "
                    + files.stream()
                        .map(file -> reactor.relativize(file).toString())
                        .collect(Collectors.joining(", ")));
          }
        });

    assertThat(clashes)
        .as(
            "class names used more than once; only lessons of the same seed section (and their"
                + " tests) may share one")
        .isEmpty();
  }

  @Test
  void onlyLessonsOfOneSectionMayShareAName() throws Exception {
    Path reactor = Path.of("..").toAbsolutePath().normalize();
    Map<String, List<Path>> byName = sourcesByClassName(reactor);
    Path threadMutex =
        reactor.resolve(
            "sync/src/main/java/io/github/concurrencycourse/sync/lessons/MutexLesson.java");
    Path processMutex =
        reactor.resolve(
            "processes/src/main/java/io/github/concurrencycourse/processes/lessons/"
                + "ProcessMutexLesson.java");

    assertThat(byName.get("ProducerConsumerLesson")).hasSize(2);
    assertThat(
            mayShareAName(reactor, "ProducerConsumerLesson", byName.get("ProducerConsumerLesson")))
        .isTrue();
    assertThat(seedSection(reactor, byName.get("ProducerConsumerLesson")))
        .contains(SeedSection.PRODUCER_CONSUMER);
    assertThat(mayShareAName(reactor, "MutexLesson", List.of(threadMutex, processMutex)))
        .as("线程的互斥锁 and 互斥锁 are different sections")
        .isFalse();
    assertThat(mayShareAName(reactor, "EchoServer", byName.get("EchoServer")))
        .as("no lesson")
        .isFalse();
  }

  /**
   * Whether the files called {@code name} are all lessons porting one seed section, or all tests of
   * such lessons.
   */
  private static boolean mayShareAName(Path reactor, String name, List<Path> files) {
    if (name.endsWith("LessonTest")) {
      String lesson = name.substring(0, name.length() - "Test".length());
      List<Path> lessons =
          files.stream().map(test -> lessonOfTest(test, lesson)).flatMap(Optional::stream).toList();
      return lessons.size() == files.size() && seedSection(reactor, lessons).isPresent();
    }
    return name.endsWith("Lesson") && seedSection(reactor, files).isPresent();
  }

  /** The main source of the lesson that {@code test} tests, if it exists. */
  private static Optional<Path> lessonOfTest(Path test, String lesson) {
    Path main =
        Path.of(test.toString().replace("/src/test/java/", "/src/main/java/"))
            .resolveSibling(lesson + ".java");
    return Files.isRegularFile(main) ? Optional.of(main) : Optional.empty();
  }

  /**
   * The one seed section that the lesson classes in {@code files} all port, or empty if one of them
   * is no lesson or they port different sections.
   */
  private static Optional<SeedSection> seedSection(Path reactor, List<Path> files) {
    List<SeedSection> sections = new ArrayList<>();
    for (Path file : files) {
      Path relative = reactor.relativize(file);
      if (!relative.toString().contains("/src/main/java/")
          || !file.getParent().getFileName().toString().equals(LESSON_PACKAGE)) {
        return Optional.empty();
      }
      try {
        Class<?> type = Class.forName(className(relative));
        if (!Lesson.class.isAssignableFrom(type)) {
          return Optional.empty();
        }
        sections.add(((Lesson) type.getConstructor().newInstance()).seedSection());
      } catch (ReflectiveOperationException e) {
        throw new LinkageError("cannot load the lesson " + relative, e);
      }
    }
    return sections.stream().distinct().count() == 1
        ? Optional.of(sections.get(0))
        : Optional.empty();
  }

  /** {@code io.github...Name} from {@code module/src/main/java/io/github/.../Name.java}. */
  private static String className(Path relative) {
    String path = relative.toString();
    String source = path.substring(path.indexOf("/java/") + "/java/".length());
    return source.substring(0, source.length() - ".java".length()).replace('/', '.');
  }

  /** Every top-level class's source file, by simple name, in every module's main and test code. */
  private static Map<String, List<Path>> sourcesByClassName(Path reactor) throws IOException {
    Map<String, List<Path>> byName = new TreeMap<>();
    try (Stream<Path> modules = Files.list(reactor)) {
      for (Path module : modules.filter(m -> Files.isRegularFile(m.resolve("pom.xml"))).toList()) {
        for (String kind : List.of("main", "test")) {
          Path sources = module.resolve("src").resolve(kind).resolve("java");
          if (!Files.isDirectory(sources)) {
            continue;
          }
          try (Stream<Path> files = Files.walk(sources)) {
            files
                .filter(file -> file.toString().endsWith(".java"))
                .filter(file -> !file.getFileName().toString().contains("-info."))
                .forEach(
                    file ->
                        byName
                            .computeIfAbsent(simpleName(file), name -> new ArrayList<>())
                            .add(file));
          }
        }
      }
    }
    return byName;
  }

  private static String simpleName(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.length() - ".java".length());
  }
}
