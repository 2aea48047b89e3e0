package io.drctl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void aServerThatLostItsPortIsStartedAgainUpToThreeTimesAndOtherFailuresAreNot() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    String started =
        FreePorts.retryingWhenTaken(
            () -> {
              if (starts.incrementAndGet() < 3) {
                throw new IllegalStateException(
                    "the Temporal dev server exited with status 1 before it listened",
                    new IOException("listen tcp 127.0.0.1:46743: bind: address already in use"));
              }
              return "listening";
            });
    AtomicInteger always = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();

    assertThat(started).isEqualTo("listening");
    assertThat(starts).hasValue(3);
    assertThatThrownBy(
            () ->
                FreePorts.retryingWhenTaken(
                    () -> {
                      always.incrementAndGet();
                      throw new java.net.BindException("Address already in use");
                    }))
        .isInstanceOf(java.net.BindException.class);
    assertThat(always).hasValue(3);
    assertThatThrownBy(
            () ->
                FreePorts.retryingWhenTaken(
                    () -> {
                      other.incrementAndGet();
                      throw new IOException("no such file");
                    }))
        .hasMessage("no such file");
    assertThat(other).hasValue(1);
  }
}
