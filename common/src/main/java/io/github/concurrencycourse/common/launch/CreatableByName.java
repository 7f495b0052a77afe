package io.github.concurrencycourse.common.launch;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * The rule for a class that a parent names and a child JVM creates: a top-level or static nested
 * class, not abstract, not a lambda, anonymous or local class, with a no-argument constructor of
 * any visibility. The parent {@linkplain #require checks} the rule before it starts anything, so a
 * bad class fails at the call, not later in a child; the child {@linkplain #create creates} the
 * instance. {@link WorkerLauncher} applies it to every {@link WorkerTask} and {@link Worker}; code
 * that sends class names to child JVMs of its own applies it the same way.
 *
 * <p>Stateless and thread-safe.
 */
public final class CreatableByName {

  private CreatableByName() {}

  /**
   * Checks that another JVM can create {@code type} by name.
   *
   * @param role what {@code type} is meant to be, such as {@code WorkerTask.class}; the message
   *     names it
   * @throws IllegalArgumentException if it cannot, saying why
   */
  public static void require(Class<?> type, Class<?> role) {
    String problem = null;
    if (type.isHidden() || type.isAnonymousClass() || type.isLocalClass()) {
      problem = "is a lambda, anonymous or local class, which another JVM cannot create by name";
    } else if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
      problem = "is an inner class; make it static so another JVM can create it by name";
    } else if (Modifier.isAbstract(type.getModifiers())) {
      problem = "is abstract";
    } else if (Arrays.stream(type.getDeclaredConstructors())
        .noneMatch(constructor -> constructor.getParameterCount() == 0)) {
      problem = "has no no-argument constructor";
    }
    if (problem != null) {
      throw new IllegalArgumentException(
          role.getSimpleName() + " " + type.getName() + " " + problem);
    }
  }

  /**
   * Creates {@code type} with its no-argument constructor, whatever that constructor's visibility:
   * the rule promises that a private one will do.
   *
   * @throws ReflectiveOperationException if {@code type} breaks the rule
   * @throws Throwable whatever the constructor throws, as it threw it
   */
  public static <T> T create(Class<T> type) throws Throwable {
    Constructor<T> constructor = type.getDeclaredConstructor();
    constructor.setAccessible(true);
    try {
      return constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
