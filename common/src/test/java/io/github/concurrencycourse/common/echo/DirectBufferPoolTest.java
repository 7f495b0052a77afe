package io.github.concurrencycourse.common.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DirectBufferPoolTest {

  @Test
  void lendsADirectNativeOrderBufferOfItsSize() {
    DirectBufferPool pool = new DirectBufferPool(8, 2);

    ByteBuffer lent = pool.take();

    assertThat(pool.size()).isEqualTo(8);
    assertThat(lent.isDirect()).isTrue();
    assertThat(lent.order()).isEqualTo(ByteOrder.nativeOrder());
    assertThat(lent.capacity()).isEqualTo(8);
    assertThat(lent.position()).isZero();
    assertThat(lent.limit()).isEqualTo(8);
  }

  @Test
  void lendsABufferGivenBackClearedBeforeAllocatingANewOne() {
    DirectBufferPool pool = new DirectBufferPool(8, 2);
    ByteBuffer first = pool.take();
    first.put((byte) 1).flip();

    pool.give(first);

    assertThat(pool.kept()).isEqualTo(1);
    ByteBuffer again = pool.take();
    assertThat(again).isSameAs(first);
    assertThat(again.position()).isZero();
    assertThat(again.limit()).isEqualTo(8);
    assertThat(pool.kept()).isZero();
    assertThat(pool.take()).isNotSameAs(first);
  }

  @Test
  void keepsNoMoreBuffersThanItsBound() {
    DirectBufferPool pool = new DirectBufferPool(4, 1);
    ByteBuffer kept = pool.take();
    ByteBuffer letGo = pool.take();

    pool.give(kept);
    pool.give(letGo);

    assertThat(pool.kept()).isEqualTo(1);
    assertThat(pool.take()).isSameAs(kept);
    assertThat(pool.take()).isNotSameAs(kept).isNotSameAs(letGo);
  }

  @Test
  void aPoolWithABoundOfZeroKeepsNothing() {
    DirectBufferPool pool = new DirectBufferPool(1, 0);
    ByteBuffer lent = pool.take();

    pool.give(lent);

    assertThat(pool.kept()).isZero();
    assertThat(pool.take()).isNotSameAs(lent);
  }

  @Test
  void refusesASizeOrBoundOutOfRangeAndABufferNotOfThePool() {
    assertThatThrownBy(() -> new DirectBufferPool(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size must be positive and bound not negative, got 0 and 1");
    assertThatThrownBy(() -> new DirectBufferPool(1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size must be positive and bound not negative, got 1 and -1");
    DirectBufferPool pool = new DirectBufferPool(4, 1);
    assertThatThrownBy(() -> pool.give(ByteBuffer.allocateDirect(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a buffer of this pool: ");
    assertThatThrownBy(() -> pool.give(ByteBuffer.allocate(4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a buffer of this pool: ");
    assertThat(pool.kept()).isZero();
  }
}
