package io.github.concurrencycourse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedMethod;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.testkit.ReferenceEchoServer.Defect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.NestedMethodSelector;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The contract can fail: run on servers that each break the protocol in one way, the tests of the
 * group that checks that part fail and the others, run alongside as controls, pass. Each group
 * catches its defects: {@code Protocol} a server that keeps the case; {@code ConcurrencyAndLimits}
 * one that serves one client at a time, one whose live count never drops, one that counts every
 * connection twice and one that ignores its connection limit; {@code Faults} one that ignores an
 * EOF and one that dies on a reset; {@code LifeCycle} one whose close leaves connections and
 * threads behind, one that accepts a second start, one that hides a failure to bind and one whose
 * close leaves the port bound. The reference server without a defect passes the whole contract
 * ({@code ReferenceEchoServerTest}), its limit test included.
 *
 * <p>The contracts run through the JUnit Platform's engine test kit, inside this test. Their
 * classes are nested, which keeps Surefire from running them on their own.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EchoServerContractCatchesDefectsTest {

  @Test
  void failsEveryEchoTestOnAServerThatDoesNotUpperCase() {
    List<String> failures =
        assertOnlyFailing(
            KeepsCase.class,
            EchoServerContract.Protocol.class,
            List.of(
                "echoesAsciiInUpperCase",
                "echoesTheSeedsChineseTextUnchangedAndItsAsciiInUpperCase",
                "echoesRandomBinaryWithEveryByteValue",
                "echoesWritesSplitAtEveryByteBoundary",
                "echoesOneMebibyteBurstsWhileTheReplyIsReadConcurrently"),
            List.of());
    assertOnlyFailing(
        KeepsCase.class,
        EchoServerContract.LifeCycle.class,
        List.of(),
        List.of("reportsTheBoundAddress", "closeFreesThePort"));

    assertThat(failures).anyMatch(message -> message.contains("differs at byte"));
  }

  @Test
  void failsTheEofTestsOnAServerThatKeepsAConnectionOpenAfterEof() {
    List<String> failures =
        assertOnlyFailing(
            IgnoresEof.class,
            EchoServerContract.Faults.class,
            List.of("clientEofMidStreamEndsOnlyThatConnection", "keepsServingAfterRepeatedFaults"),
            List.of("clientResetMidStreamEndsOnlyThatConnection"));

    assertThat(failures).allMatch(message -> message.contains("did not close the connection"));
  }

  @Test
  void failsTheResetTestsOnAServerThatStopsWhenAConnectionIsReset() {
    assertOnlyFailing(
        DiesOnReset.class,
        EchoServerContract.Faults.class,
        List.of("clientResetMidStreamEndsOnlyThatConnection", "keepsServingAfterRepeatedFaults"),
        List.of("clientEofMidStreamEndsOnlyThatConnection"));
  }

  @Test
  void failsTheCloseTestsOnAServerThatLeavesConnectionsAndThreadsBehind() {
    List<String> failures =
        assertOnlyFailing(
            LeaksConnections.class,
            EchoServerContract.LifeCycle.class,
            List.of(
                "closeEndsEveryLiveConnection", "closeEndsEveryThreadAndProcessTheServerStarted"),
            List.of("closeIsIdempotentAndFinal"));

    assertThat(failures).anyMatch(message -> message.contains("platform thread echo-connection-"));
  }

  /**
   * The servers whose defect only one test of the group that checks it catches: that test fails
   * with the message given, and the tests named as controls, which the defect does not touch, pass.
   */
  static Stream<Arguments> serversCaughtByOneTest() {
    return Stream.of(
        caughtBy(
            OneClientAtATime.class,
            EchoServerContract.ConcurrencyAndLimits.class,
            "servesConcurrentClientsAtOnce",
            List.of("countsEveryConnection"),
            "clients got their reply while all were connected"),
        caughtBy(
            LiveCountNeverDrops.class,
            EchoServerContract.ConcurrencyAndLimits.class,
            "countsEveryConnection",
            List.of("queuesAClientBeyondItsConcurrencyUntilAnotherLeaves"),
            "live connections"),
        caughtBy(
            TotalCountsTwice.class,
            EchoServerContract.ConcurrencyAndLimits.class,
            "countsEveryConnection",
            List.of("queuesAClientBeyondItsConcurrencyUntilAnotherLeaves"),
            "total connections"),
        caughtBy(
            IgnoresLimit.class,
            EchoServerContract.ConcurrencyAndLimits.class,
            "holdsAClientBeyondTheConnectionLimitUnservedUntilAHeldOneLeaves",
            List.of("countsEveryConnection"),
            "a client beyond the limit of 3 connections was served"),
        caughtBy(
            StartsTwice.class,
            EchoServerContract.LifeCycle.class,
            "rejectsASecondStart",
            List.of("closeIsIdempotentAndFinal", "reportsTheBoundAddress"),
            "what a second start of a running server throws"),
        caughtBy(
            HidesBindFailure.class,
            EchoServerContract.LifeCycle.class,
            "failsToStartOnABusyPortAndLeavesNothingBehind",
            List.of("rejectsASecondStart", "closeFreesThePort"),
            "which another server holds"));
  }

  @ParameterizedTest(name = "{0} fails {2}")
  @org.junit.jupiter.params.provider.MethodSource("serversCaughtByOneTest")
  void failsTheOneTestThatChecksWhatTheServerBreaks(
      Class<? extends EchoServerContract> contract,
      Class<?> group,
      String failing,
      List<String> controls,
      String message) {
    List<String> failures = assertOnlyFailing(contract, group, List.of(failing), controls);

    assertThat(failures).singleElement().asString().contains(message);
  }

  @Test
  void skipsTheLimitTestVisiblyOnAServerThatTakesNoLimit() {
    Events tests =
        run(
            KeepsCase.class,
            EchoServerContract.ConcurrencyAndLimits.class,
            "holdsAClientBeyondTheConnectionLimitUnservedUntilAHeldOneLeaves");

    assertThat(tests.aborted().count()).isOne();
    assertThat(
            tests.aborted().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class))
                .map(result -> result.getThrowable().map(String::valueOf).orElse("")))
        .singleElement()
        .asString()
        .contains("this server takes no connection limit");
  }

  @Test
  void failsThePortTestOnAServerWhoseCloseLeavesThePortBound() {
    List<String> failures;
    try {
      failures =
          assertOnlyFailing(
              KeepsPort.class,
              EchoServerContract.LifeCycle.class,
              List.of("closeFreesThePort"),
              List.of(
                  "closeEndsEveryLiveConnection",
                  "closeEndsEveryThreadAndProcessTheServerStarted"));
    } finally {
      ReferenceEchoServer.freeTheListenersLeftBound();
    }

    assertThat(failures).singleElement().asString().contains("BindException");
  }

  private static Arguments caughtBy(
      Class<? extends EchoServerContract> contract,
      Class<?> group,
      String failing,
      List<String> controls,
      String message) {
    return Arguments.of(
        Named.of(contract.getSimpleName(), contract), group, failing, controls, message);
  }

  /**
   * Runs the {@code failing} and then the {@code passing} tests of the contract's {@code group}
   * against the server of {@code contract}, asserts that exactly the first fail and the others
   * pass, and returns the failures' messages.
   */
  private static List<String> assertOnlyFailing(
      Class<? extends EchoServerContract> contract,
      Class<?> group,
      List<String> failing,
      List<String> passing) {
    List<String> methods = new ArrayList<>(failing);
    methods.addAll(passing);
    Events tests = run(contract, group, methods.toArray(String[]::new));
    assertThat(failed(tests)).as("failed").containsExactlyInAnyOrderElementsOf(failing);
    assertThat(succeeded(tests)).as("passed").containsExactlyInAnyOrderElementsOf(passing);
    return failureMessages(tests);
  }

  /**
   * Runs {@code methods} of the contract's {@code group} against the server of {@code contract}.
   */
  private static Events run(
      Class<? extends EchoServerContract> contract, Class<?> group, String... methods) {
    NestedMethodSelector[] selectors =
        Arrays.stream(methods)
            .map(m -> selectNestedMethod(List.of(contract), group, m))
            .toArray(NestedMethodSelector[]::new);
    Events tests =
        EngineTestKit.engine("junit-jupiter").selectors(selectors).execute().testEvents();
    assertThat(tests.started().count()).as("tests started").isEqualTo(methods.length);
    return tests;
  }

  private static List<String> failed(Events tests) {
    return tests.failed().stream().map(EchoServerContractCatchesDefectsTest::methodName).toList();
  }

  private static List<String> succeeded(Events tests) {
    return tests.succeeded().stream()
        .map(EchoServerContractCatchesDefectsTest::methodName)
        .toList();
  }

  private static List<String> failureMessages(Events tests) {
    return tests.failed().stream()
        .map(event -> event.getRequiredPayload(TestExecutionResult.class))
        .map(result -> result.getThrowable().map(String::valueOf).orElse(""))
        .toList();
  }

  private static String methodName(Event event) {
    return event
        .getTestDescriptor()
        .getSource()
        .map(source -> ((MethodSource) source).getMethodName())
        .orElseThrow();
  }

  /** Broken servers fail fast: nothing a correct server does here takes two seconds. */
  abstract static class DefectiveServerContract extends EchoServerContract {
    private final Defect defect;

    DefectiveServerContract(Defect defect) {
      this.defect = defect;
    }

    @Override
    protected EchoServer newServer() {
      return new ReferenceEchoServer(defect);
    }

    @Override
    protected Duration replyTimeout() {
      return Duration.ofSeconds(2);
    }
  }

  static class KeepsCase extends DefectiveServerContract {
    KeepsCase() {
      super(Defect.KEEPS_CASE);
    }
  }

  static class OneClientAtATime extends DefectiveServerContract {
    OneClientAtATime() {
      super(Defect.ONE_CLIENT_AT_A_TIME);
    }

    @Override
    protected int concurrentClients() {
      return 10;
    }
  }

  static class IgnoresEof extends DefectiveServerContract {
    IgnoresEof() {
      super(Defect.IGNORES_EOF);
    }
  }

  static class DiesOnReset extends DefectiveServerContract {
    DiesOnReset() {
      super(Defect.DIES_ON_RESET);
    }
  }

  static class LeaksConnections extends DefectiveServerContract {
    LeaksConnections() {
      super(Defect.LEAKS_CONNECTIONS);
    }
  }

  static class LiveCountNeverDrops extends DefectiveServerContract {
    LiveCountNeverDrops() {
      super(Defect.LIVE_COUNT_NEVER_DROPS);
    }
  }

  static class TotalCountsTwice extends DefectiveServerContract {
    TotalCountsTwice() {
      super(Defect.TOTAL_COUNTS_TWICE);
    }
  }

  static class IgnoresLimit extends DefectiveServerContract {
    IgnoresLimit() {
      super(Defect.IGNORES_LIMIT);
    }

    @Override
    protected Optional<EchoServer> newServerWithConnectionLimit(int limit) {
      return Optional.of(new ReferenceEchoServer(Defect.IGNORES_LIMIT, limit));
    }
  }

  static class StartsTwice extends DefectiveServerContract {
    StartsTwice() {
      super(Defect.STARTS_TWICE);
    }
  }

  static class HidesBindFailure extends DefectiveServerContract {
    HidesBindFailure() {
      super(Defect.HIDES_BIND_FAILURE);
    }
  }

  static class KeepsPort extends DefectiveServerContract {
    KeepsPort() {
      super(Defect.KEEPS_PORT);
    }
  }
}
