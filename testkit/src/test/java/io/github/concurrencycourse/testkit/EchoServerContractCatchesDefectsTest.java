package io.github.concurrencycourse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedMethod;

import io.github.concurrencycourse.common.echo.EchoServer;
import io.github.concurrencycourse.testkit.ReferenceEchoServer.Defect;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
    Events tests =
        run(
            KeepsCase.class,
            EchoServerContract.Protocol.class,
            "echoesAsciiInUpperCase",
            "echoesTheSeedsChineseTextUnchangedAndItsAsciiInUpperCase",
            "echoesRandomBinaryWithEveryByteValue",
            "echoesWritesSplitAtEveryByteBoundary",
            "echoesOneMebibyteBurstsWhileTheReplyIsReadConcurrently");
    Events controls =
        run(
            KeepsCase.class,
            EchoServerContract.LifeCycle.class,
            "reportsTheBoundAddress",
            "closeFreesThePort");

    assertThat(failed(tests))
        .containsExactlyInAnyOrder(
            "echoesAsciiInUpperCase",
            "echoesTheSeedsChineseTextUnchangedAndItsAsciiInUpperCase",
            "echoesRandomBinaryWithEveryByteValue",
            "echoesWritesSplitAtEveryByteBoundary",
            "echoesOneMebibyteBurstsWhileTheReplyIsReadConcurrently");
    assertThat(succeeded(controls))
        .containsExactlyInAnyOrder("reportsTheBoundAddress", "closeFreesThePort");
    assertThat(failureMessages(tests)).anyMatch(message -> message.contains("differs at byte"));
  }

  @Test
  void failsTheConcurrencyTestOnAServerThatServesOneClientAtATime() {
    Events tests =
        run(
            OneClientAtATime.class,
            EchoServerContract.ConcurrencyAndLimits.class,
            "servesConcurrentClientsAtOnce",
            "countsEveryConnection");

    assertThat(failed(tests)).containsExactly("servesConcurrentClientsAtOnce");
    assertThat(succeeded(tests)).containsExactly("countsEveryConnection");
    assertThat(failureMessages(tests))
        .singleElement()
        .asString()
        .contains("clients got their reply while all were connected");
  }

  @Test
  void failsTheEofTestsOnAServerThatKeepsAConnectionOpenAfterEof() {
    Events tests =
        run(
            IgnoresEof.class,
            EchoServerContract.Faults.class,
            "clientEofMidStreamEndsOnlyThatConnection",
            "keepsServingAfterRepeatedFaults",
            "clientResetMidStreamEndsOnlyThatConnection");

    assertThat(failed(tests))
        .containsExactlyInAnyOrder(
            "clientEofMidStreamEndsOnlyThatConnection", "keepsServingAfterRepeatedFaults");
    assertThat(succeeded(tests)).containsExactly("clientResetMidStreamEndsOnlyThatConnection");
    assertThat(failureMessages(tests))
        .allMatch(message -> message.contains("did not close the connection"));
  }

  @Test
  void failsTheResetTestsOnAServerThatStopsWhenAConnectionIsReset() {
    Events tests =
        run(
            DiesOnReset.class,
            EchoServerContract.Faults.class,
            "clientResetMidStreamEndsOnlyThatConnection",
            "keepsServingAfterRepeatedFaults",
            "clientEofMidStreamEndsOnlyThatConnection");

    assertThat(failed(tests))
        .containsExactlyInAnyOrder(
            "clientResetMidStreamEndsOnlyThatConnection", "keepsServingAfterRepeatedFaults");
    assertThat(succeeded(tests)).containsExactly("clientEofMidStreamEndsOnlyThatConnection");
  }

  @Test
  void failsTheCloseTestsOnAServerThatLeavesConnectionsAndThreadsBehind() {
    Events tests =
        run(
            LeaksConnections.class,
            EchoServerContract.LifeCycle.class,
            "closeEndsEveryLiveConnection",
            "closeEndsEveryThreadAndProcessTheServerStarted",
            "closeIsIdempotentAndFinal");

    assertThat(failed(tests))
        .containsExactlyInAnyOrder(
            "closeEndsEveryLiveConnection", "closeEndsEveryThreadAndProcessTheServerStarted");
    assertThat(succeeded(tests)).containsExactly("closeIsIdempotentAndFinal");
    assertThat(failureMessages(tests))
        .anyMatch(message -> message.contains("platform thread echo-connection-"));
  }

  static Stream<Arguments> miscountingServers() {
    return Stream.of(
        Arguments.of(LiveCountNeverDrops.class, "live connections"),
        Arguments.of(TotalCountsTwice.class, "total connections"));
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("miscountingServers")
  void failsTheCountTestOnAServerThatMiscounts(
      Class<? extends EchoServerContract> contract, String wrongCount) {
    Events tests =
        run(
            contract,
            EchoServerContract.ConcurrencyAndLimits.class,
            "countsEveryConnection",
            "queuesAClientBeyondItsConcurrencyUntilAnotherLeaves");

    assertThat(failed(tests)).containsExactly("countsEveryConnection");
    assertThat(succeeded(tests))
        .containsExactly("queuesAClientBeyondItsConcurrencyUntilAnotherLeaves");
    assertThat(failureMessages(tests)).singleElement().asString().contains(wrongCount);
  }

  @Test
  void failsTheLimitTestOnAServerThatIgnoresItsConnectionLimit() {
    Events tests =
        run(
            IgnoresLimit.class,
            EchoServerContract.ConcurrencyAndLimits.class,
            "holdsAClientBeyondTheConnectionLimitUnservedUntilAHeldOneLeaves",
            "countsEveryConnection");

    assertThat(failed(tests))
        .containsExactly("holdsAClientBeyondTheConnectionLimitUnservedUntilAHeldOneLeaves");
    assertThat(succeeded(tests)).containsExactly("countsEveryConnection");
    assertThat(failureMessages(tests))
        .singleElement()
        .asString()
        .contains("a client beyond the limit of 3 connections was served");
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
  void failsTheSecondStartTestOnAServerThatStartsTwice() {
    Events tests =
        run(
            StartsTwice.class,
            EchoServerContract.LifeCycle.class,
            "rejectsASecondStart",
            "closeIsIdempotentAndFinal",
            "reportsTheBoundAddress");

    assertThat(failed(tests)).containsExactly("rejectsASecondStart");
    assertThat(succeeded(tests))
        .containsExactlyInAnyOrder("closeIsIdempotentAndFinal", "reportsTheBoundAddress");
    assertThat(failureMessages(tests))
        .singleElement()
        .asString()
        .contains("what a second start of a running server throws");
  }

  @Test
  void failsTheBusyPortTestOnAServerThatHidesABindFailure() {
    Events tests =
        run(
            HidesBindFailure.class,
            EchoServerContract.LifeCycle.class,
            "failsToStartOnABusyPortAndLeavesNothingBehind",
            "rejectsASecondStart",
            "closeFreesThePort");

    assertThat(failed(tests)).containsExactly("failsToStartOnABusyPortAndLeavesNothingBehind");
    assertThat(succeeded(tests))
        .containsExactlyInAnyOrder("rejectsASecondStart", "closeFreesThePort");
    assertThat(failureMessages(tests))
        .singleElement()
        .asString()
        .contains("which another server holds");
  }

  @Test
  void failsThePortTestOnAServerWhoseCloseLeavesThePortBound() {
    Events tests;
    try {
      tests =
          run(
              KeepsPort.class,
              EchoServerContract.LifeCycle.class,
              "closeFreesThePort",
              "closeEndsEveryLiveConnection",
              "closeEndsEveryThreadAndProcessTheServerStarted");
    } finally {
      ReferenceEchoServer.freeTheListenersLeftBound();
    }

    assertThat(failed(tests)).containsExactly("closeFreesThePort");
    assertThat(succeeded(tests))
        .containsExactlyInAnyOrder(
            "closeEndsEveryLiveConnection", "closeEndsEveryThreadAndProcessTheServerStarted");
    assertThat(failureMessages(tests)).singleElement().asString().contains("BindException");
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
