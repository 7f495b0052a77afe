package io.github.concurrencycourse.memorymodel.lincheck;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The budgets of the Lincheck tests: two threads (the machine has two cores), short scenarios, and
 * few of them, so that every class is checked in seconds and {@code mvn verify} stays fast. Raise
 * the numbers to search harder; a failure found with small scenarios is the easiest to read.
 */
final class Linearizability {

  private Linearizability() {}

  /** Real threads, many runs of each scenario: finds what the hardware and the JIT do. */
  static StressOptions stress() {
    return new StressOptions()
        .iterations(5)
        .invocationsPerIteration(500)
        .threads(2)
        .actorsBefore(2)
        .actorsPerThread(3)
        .actorsAfter(1);
  }

  /**
   * Lincheck's scheduler switches threads at every shared access and explores the interleavings
   * systematically, under sequential consistency: finds interleaving bugs deterministically, and
   * prints the interleaving.
   */
  static ModelCheckingOptions modelChecking() {
    return new ModelCheckingOptions()
        .iterations(10)
        .invocationsPerIteration(200)
        .threads(2)
        .actorsBefore(2)
        .actorsPerThread(3)
        .actorsAfter(1);
  }
}
