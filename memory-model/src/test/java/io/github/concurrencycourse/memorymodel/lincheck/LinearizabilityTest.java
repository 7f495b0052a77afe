package io.github.concurrencycourse.memorymodel.lincheck;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.junit.jupiter.api.Test;

/**
 * The two checks every Lincheck test of a correct structure makes on its subclass's {@code
 * Operation}s: under stress, with real threads, and by model checking every explored interleaving,
 * both with the budgets of {@link Linearizability}.
 */
abstract class LinearizabilityTest {

  @Test
  void isLinearizableUnderStress() {
    Linearizability.stress().check(getClass());
  }

  @Test
  void isLinearizableInEveryExploredInterleaving() {
    modelChecking(Linearizability.modelChecking()).check(getClass());
  }

  /** The model checking to run: {@code options} as they are, unless the structure promises more. */
  ModelCheckingOptions modelChecking(ModelCheckingOptions options) {
    return options;
  }
}
