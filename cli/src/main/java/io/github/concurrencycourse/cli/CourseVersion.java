package io.github.concurrencycourse.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version recorded in the jar's manifest, or "development" when run from classes. */
final class CourseVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = CourseVersion.class.getPackage().getImplementationVersion();
    return new String[] {
      "course " + (version == null ? "(development build)" : version),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
