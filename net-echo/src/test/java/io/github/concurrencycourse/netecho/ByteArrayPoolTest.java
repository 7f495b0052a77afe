package io.github.concurrencycourse.netecho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteArrayPoolTest {

  @Test
  void lendsAnArrayGivenBackBeforeAllocatingANewOne() {
    ByteArrayPool pool = new ByteArrayPool(8, 2);
    byte[] first = pool.take();
    assertThat(first).hasSize(8);

    assertThat(pool.keptCount()).isZero();
    pool.give(first);
    assertThat(pool.keptCount()).isOne();

    assertThat(pool.take()).isSameAs(first);
    assertThat(pool.keptCount()).isZero();
    assertThat(pool.take()).isNotSameAs(first).hasSize(8);
  }

  @Test
  void keepsNoMoreArraysThanItsBound() {
    ByteArrayPool pool = new ByteArrayPool(4, 1);
    byte[] kept = new byte[4];
    byte[] letGo = new byte[4];

    pool.give(kept);
    pool.give(letGo);
    assertThat(pool.keptCount()).isOne();

    assertThat(pool.take()).isSameAs(kept);
    assertThat(pool.take()).isNotSameAs(kept).isNotSameAs(letGo).hasSize(4);
  }

  @Test
  void aPoolOfOneByteArraysWithABoundOfZeroKeepsNothing() {
    ByteArrayPool pool = new ByteArrayPool(1, 0);
    byte[] lent = pool.take();

    pool.give(lent);

    assertThat(pool.take()).isNotSameAs(lent).hasSize(1);
  }

  @Test
  void refusesASizeOrBoundOutOfRangeAndAnArrayOfAnotherSize() {
    assertThatThrownBy(() -> new ByteArrayPool(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size must be positive and bound not negative, got 0 and 1");
    assertThatThrownBy(() -> new ByteArrayPool(1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size must be positive and bound not negative, got 1 and -1");
    ByteArrayPool pool = new ByteArrayPool(4, 1);
    assertThatThrownBy(() -> pool.give(new byte[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an array of this pool: 5 bytes");
  }
}
