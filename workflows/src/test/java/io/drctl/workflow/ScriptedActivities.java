package io.drctl.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.activity.Activity;
import io.temporal.activity.DynamicActivity;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.converter.EncodedValues;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake of every action, for tests of pure workflow logic. Behaviour comes from the first argv
 * element (shell.exec), the message of a notify.send (so that a test can make a notification fail;
 * for a lifecycle notification, its channel: one named {@code fail} fails), or the action name:
 * {@code ok:NAME}, {@code fail:NAME} (always fails), {@code flaky:NAME:N} (fails N times, then
 * succeeds), {@code block:NAME} (waits for {@link #release}), for postgres.isReady {@code ready}
 * turns true at the third poll, and postgres.rejoin reports 2.5 s of lost commits.
 */
final class ScriptedActivities implements DynamicActivity {
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final List<JsonNode> inputs = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

  /** When each blocked action learnt from a heartbeat that it was cancelled ({@code nanoTime}). */
  final Map<String, Long> cancelled = new ConcurrentHashMap<>();

  void release(String name) {
    gate(name).countDown();
  }

  private CountDownLatch gate(String name) {
    return gates.computeIfAbsent(name, k -> new CountDownLatch(1));
  }

  @Override
  public Object execute(EncodedValues args) {
    String type = Activity.getExecutionContext().getInfo().getActivityType();
    JsonNode with = args.get(0, JsonNode.class);
    String notice =
        with.path("event").isTextual()
            ? with.path("channel").asText()
            : with.path("message").asText(type);
    String script = with.path("argv").path(0).asText("notify.send".equals(type) ? notice : type);
    calls.add(script);
    inputs.add(with);
    int count = counts.computeIfAbsent(script, k -> new AtomicInteger()).incrementAndGet();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    String[] parts = script.split(":");
    switch (parts[0]) {
      case "fail" -> throw ApplicationFailure.newFailure("scripted failure of " + script, "Boom");
      case "flaky" -> {
        if (count <= Integer.parseInt(parts[2])) {
          throw ApplicationFailure.newFailure("flaky attempt " + count, "Flaky");
        }
      }
      case "block" -> {
        try {
          while (!gate(parts[1]).await(200, TimeUnit.MILLISECONDS)) {
            Activity.getExecutionContext().heartbeat(count);
          }
        } catch (ActivityCompletionException e) {
          cancelled.put(parts[1], System.nanoTime());
          throw e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw ApplicationFailure.newFailure("interrupted", "Interrupted");
        }
      }
      case "postgres.rejoin" -> {
        // An old primary whose last 2.5 s of commits never reached the promoted replica.
        out.put("method", "rewind").put("lostTransactions", 3).put("dataLossSeconds", 2.5);
        return out;
      }
      case "postgres.isReady" -> {
        out.put("ready", count >= 3);
        return out;
      }
      default -> {}
    }
    out.put("exitCode", 0)
        .put("stdout", script + " " + with.path("argv").path(1).asText(""))
        .put("stderr", "")
        .put("durationMillis", 1);
    return out;
  }
}
