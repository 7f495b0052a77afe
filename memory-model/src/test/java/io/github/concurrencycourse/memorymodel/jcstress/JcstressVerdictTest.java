package io.github.concurrencycourse.memorymodel.jcstress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.concurrencycourse.memorymodel.jcstress.JcstressVerdict.Row;
import io.github.concurrencycourse.memorymodel.jcstress.JcstressVerdict.TestOutcome;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The gate that {@code mvn verify} runs after jcstress: it must fail a run in which a fixed form
 * showed a forbidden outcome, and every other run that proves nothing.
 */
class JcstressVerdictTest {

  private static final String PLAIN = "x.Reordering_01_StoreBuffering.Plain";
  private static final String VOLATILE = "x.Reordering_01_StoreBuffering.Volatile";

  private static TestOutcome storeBuffering(String test, long bothZero, boolean forbidden) {
    return new TestOutcome(
        test,
        true,
        List.of(
            new Row("0, 0", bothZero, forbidden ? FORBIDDEN : ACCEPTABLE_INTERESTING, "both 0"),
            new Row("0, 1", 700, ACCEPTABLE, "an interleaving"),
            new Row("1, 0", 300, ACCEPTABLE, "an interleaving")));
  }

  @Test
  void aRunWhoseFixedFormsShowNoForbiddenOutcomePasses() {
    JcstressVerdict verdict =
        new JcstressVerdict(
            List.of(storeBuffering(PLAIN, 12, false), storeBuffering(VOLATILE, 0, true)));

    assertThat(verdict.problems(Set.of(PLAIN, VOLATILE))).isEmpty();
  }

  @Test
  void aForbiddenOutcomeFailsTheRunAndIsNamed() {
    JcstressVerdict verdict =
        new JcstressVerdict(
            List.of(storeBuffering(PLAIN, 12, false), storeBuffering(VOLATILE, 3, true)));

    assertThat(verdict.problems(Set.of(PLAIN, VOLATILE)))
        .containsExactly(VOLATILE + " showed the forbidden outcome [0, 0] 3 times: both 0");
    assertThat(verdict.markdown())
        .contains("| `Reordering_01_StoreBuffering.Volatile` | `0, 0` 3 **forbidden**")
        .contains("| **FAILED** |");
  }

  @Test
  void anInterestingOutcomeOfABrokenFormIsReportedNotFailed() {
    JcstressVerdict verdict = new JcstressVerdict(List.of(storeBuffering(PLAIN, 12, false)));

    assertThat(verdict.problems(Set.of(PLAIN))).isEmpty();
    assertThat(verdict.markdown())
        .contains("`0, 0` 12 *interesting* · `0, 1` 700 · `1, 0` 300 | OK, interesting |");
  }

  @Test
  void aTestThatDidNotRunFailsTheRun() {
    JcstressVerdict verdict = new JcstressVerdict(List.of(storeBuffering(PLAIN, 0, false)));

    assertThat(verdict.problems(Set.of(PLAIN, VOLATILE)))
        .containsExactly(VOLATILE + " did not run");
  }

  @Test
  void anEmptySelectionFailsTheRun() {
    assertThat(new JcstressVerdict(List.of()).problems(Set.of()))
        .containsExactly("no test was expected: the selection matches nothing");
  }

  @Test
  void aTestWithoutSamplesOrWithAnErrorFailsTheRun() {
    TestOutcome empty =
        new TestOutcome(PLAIN, true, List.of(new Row("0, 0", 0, ACCEPTABLE, "nothing")));
    TestOutcome crashed =
        new TestOutcome(VOLATILE, false, List.of(new Row("0, 1", 5, ACCEPTABLE, "ran a bit")));

    assertThat(new JcstressVerdict(List.of(empty, crashed)).problems(Set.of(PLAIN, VOLATILE)))
        .containsExactly(
            PLAIN + " collected no sample",
            VOLATILE + " did not run normally (see the jcstress log)");
  }

  @Test
  void theDefaultSetIsEveryTestOfThisPackageAndLeavesTheSelfCheckOut() {
    Set<String> tests = JcstressVerdict.testsMatching(JcstressVerdict.DEFAULT_TESTS);

    assertThat(tests)
        .contains(
            "io.github.concurrencycourse.memorymodel.jcstress.Visibility_01_SpinLoop.Volatile",
            "io.github.concurrencycourse.memorymodel.jcstress.LockFree_02_TreiberStack"
                + ".TreiberPushes")
        .noneMatch(test -> test.contains("SelfCheck"));
    assertThat(JcstressVerdict.testsMatching("SelfCheck_01"))
        .containsExactly(
            "io.github.concurrencycourse.memorymodel.jcstress.selfcheck"
                + ".SelfCheck_01_VolatileIncrementClaimedAtomic.VolatileIncrement");
  }
}
