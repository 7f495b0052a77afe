package io.github.concurrencycourse.netecho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolAdmissionTest {

  @Test
  void waitingInLineHasNoTimeoutAndRefusingHasItsOwn() {
    assertThat(PoolAdmission.waitInLine().refusalTimeout()).isEmpty();
    assertThat(PoolAdmission.refuseAfter(Duration.ofMillis(400)).refusalTimeout())
        .contains(Duration.ofMillis(400));
  }

  @Test
  void twoAdmissionsAreEqualWhenTheyRefuseAfterTheSameTimeOrBothWait() {
    PoolAdmission refuse = PoolAdmission.refuseAfter(Duration.ofSeconds(1));

    assertThat(refuse)
        .isEqualTo(PoolAdmission.refuseAfter(Duration.ofMillis(500).multipliedBy(2)))
        .hasSameHashCodeAs(PoolAdmission.refuseAfter(Duration.ofMillis(500).multipliedBy(2)))
        .isNotEqualTo(PoolAdmission.refuseAfter(Duration.ofSeconds(2)))
        .isNotEqualTo(PoolAdmission.waitInLine())
        .isNotEqualTo(Duration.ofSeconds(1));
    assertThat(PoolAdmission.waitInLine()).isEqualTo(PoolAdmission.waitInLine());
  }

  @Test
  void saysWhatItDoes() {
    assertThat(PoolAdmission.waitInLine()).hasToString("wait in line");
    assertThat(PoolAdmission.refuseAfter(Duration.ofMillis(400)))
        .hasToString("refuse after PT0.4S");
  }

  @Test
  void refusesATimeoutThatIsNotPositive() {
    assertThatThrownBy(() -> PoolAdmission.refuseAfter(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the refusal timeout must be positive, got PT0S");
    assertThatThrownBy(() -> PoolAdmission.refuseAfter(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PoolAdmission.refuseAfter(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout");
  }
}
