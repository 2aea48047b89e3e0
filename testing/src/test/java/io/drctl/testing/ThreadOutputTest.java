package io.drctl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadOutputTest {
  /**
   * Two captures that overlap, as two test classes running at once make them: each gets its own
   * thread's lines, also those written after the other ended. With System.out replaced for the
   * length of each call instead, the second capture's last line went to the console (the first put
   * the console back when it ended).
   */
  @Test
  void overlappingCapturesInTwoThreadsEachGetTheirOwnLines() throws Exception {
    CountDownLatch bothOpen = new CountDownLatch(2);
    CountDownLatch firstEnded = new CountDownLatch(1);
    CompletableFuture<ThreadOutput.Captured<String>> first =
        inAnotherThread(
            () -> {
              bothOpen.countDown();
              await(bothOpen);
              System.out.println("first");
              System.err.println("first on err");
              return "a";
            });
    CompletableFuture<ThreadOutput.Captured<String>> second =
        inAnotherThread(
            () -> {
              bothOpen.countDown();
              await(bothOpen);
              System.out.println("second, before");
              await(firstEnded);
              System.out.println("second, after the first ended");
              return "b";
            });
    ThreadOutput.Captured<String> one = first.get(10, TimeUnit.SECONDS);
    firstEnded.countDown();
    ThreadOutput.Captured<String> two = second.get(10, TimeUnit.SECONDS);

    assertThat(one.value()).isEqualTo("a");
    assertThat(one.out()).isEqualTo("first" + System.lineSeparator());
    assertThat(one.err()).isEqualTo("first on err" + System.lineSeparator());
    assertThat(two.value()).isEqualTo("b");
    assertThat(two.out())
        .isEqualTo(
            "second, before"
                + System.lineSeparator()
                + "second, after the first ended"
                + System.lineSeparator());
    assertThat(two.err()).isEmpty();
  }

  @Test
  void aThreadStartedDuringTheCaptureWritesIntoItAndNestedCapturesTakeTheirOwn() throws Exception {
    ThreadOutput.Captured<String> outer =
        ThreadOutput.capture(
            () -> {
              Thread child = new Thread(() -> System.out.println("from a child"));
              child.start();
              child.join();
              ThreadOutput.Captured<Void> inner =
                  ThreadOutput.capture(
                      () -> {
                        System.out.println("inner");
                        return null;
                      });
              System.out.println("outer again");
              return inner.out();
            });

    assertThat(outer.value()).isEqualTo("inner" + System.lineSeparator());
    assertThat(outer.out())
        .isEqualTo(
            "from a child" + System.lineSeparator() + "outer again" + System.lineSeparator());
  }

  private static CompletableFuture<ThreadOutput.Captured<String>> inAnotherThread(
      ThreadOutput.Call<String, RuntimeException> call) {
    return CompletableFuture.supplyAsync(() -> ThreadOutput.capture(call));
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
