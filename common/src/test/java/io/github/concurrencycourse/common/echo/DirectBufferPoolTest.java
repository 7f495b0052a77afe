package io.github.concurrencycourse.common.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectBufferPoolTest {

  @Test
  void lendsClearedDirectBuffersOfItsSizeInNativeOrder() {
    DirectBufferPool pool = new DirectBufferPool(1024, 2);

    ByteBuffer buffer = pool.take();

    assertThat(pool.size()).isEqualTo(1024);
    assertThat(buffer.isDirect()).isTrue();
    assertThat(buffer.order()).isEqualTo(ByteOrder.nativeOrder());
    assertThat(buffer.capacity()).isEqualTo(1024);
    assertThat(buffer.position()).isZero();
    assertThat(buffer.limit()).isEqualTo(1024);
  }

  @Test
  void lendsABufferGivenBackAgainClearedInsteadOfAllocating() {
    DirectBufferPool pool = new DirectBufferPool(64, 2);
    ByteBuffer buffer = pool.take();
    buffer.put(new byte[10]).flip();

    pool.give(buffer);

    assertThat(pool.kept()).isEqualTo(1);
    ByteBuffer again = pool.take();
    assertThat(again).isSameAs(buffer);
    assertThat(again.position()).isZero();
    assertThat(again.limit()).isEqualTo(64);
    assertThat(pool.kept()).isZero();
    assertThat(pool.take()).as("a loan with nothing kept").isNotSameAs(buffer);
  }

  @Test
  void lendsTheBuffersItKeepsOneAtATimeEachOnce() {
    DirectBufferPool pool = new DirectBufferPool(64, 3);
    ByteBuffer first = pool.take();
    ByteBuffer second = pool.take();
    pool.give(first);
    pool.give(second);

    assertThat(List.of(pool.take(), pool.take())).containsExactlyInAnyOrder(first, second);
    assertThat(pool.kept()).isZero();
  }

  @Test
  void keepsNoMoreThanItsBound() {
    DirectBufferPool pool = new DirectBufferPool(64, 2);
    List<ByteBuffer> lent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      lent.add(pool.take());
    }

    lent.forEach(pool::give);

    assertThat(pool.kept()).isEqualTo(2);
  }

  @Test
  void aPoolBoundToZeroKeepsNothing() {
    DirectBufferPool pool = new DirectBufferPool(1, 0);
    ByteBuffer buffer = pool.take();

    pool.give(buffer);

    assertThat(pool.kept()).isZero();
    assertThat(pool.take()).isNotSameAs(buffer);
  }

  @Test
  void refusesABufferThatIsNotOneOfItsOwn() {
    DirectBufferPool pool = new DirectBufferPool(64, 2);

    assertThatThrownBy(() -> pool.give(ByteBuffer.allocateDirect(128)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a buffer of this pool");
    assertThatThrownBy(() -> pool.give(ByteBuffer.allocate(64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a buffer of this pool");
    assertThat(pool.kept()).isZero();
  }

  @Test
  void refusesASizeBelowOneAndANegativeBound() {
    assertThatThrownBy(() -> new DirectBufferPool(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size must be positive and bound not negative, got 0 and 1");
    assertThatThrownBy(() -> new DirectBufferPool(1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size must be positive and bound not negative, got 1 and -1");
  }
}
