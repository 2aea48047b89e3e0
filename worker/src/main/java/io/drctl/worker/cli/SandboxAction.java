package io.drctl.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.sandbox.Sandbox;
import io.drctl.sandbox.SandboxEngine;
import io.drctl.sandbox.SandboxException;
import io.drctl.sandbox.SandboxImages;
import io.drctl.sandbox.SandboxLayout;
import io.drctl.sandbox.WalArchiving;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The shared body: a sandbox on the engine, each SandboxException one line and exit 1. */
abstract class SandboxAction implements Callable<Integer> {
  /** Pretty-printed JSON, as every sandbox subcommand writes its result. */
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;
  @Mixin SandboxCommand.Which which;
  @Mixin SandboxCommand.Backups backups;

  /** json: the result as JSON, progress on standard error. */
  @Mixin FormatOption output;

  abstract int run(Sandbox sandbox, PrintWriter out) throws SQLException;

  @Override
  public final Integer call() throws SQLException {
    SandboxLayout layout = which.layout();
    prepare(layout);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progressOut = output.json() ? spec.commandLine().getErr() : out;
    Consumer<String> progress =
        line -> {
          progressOut.println(line);
          progressOut.flush();
        };
    try (SandboxEngine engine = SandboxEngine.fromEnvironment()) {
      return run(
          new Sandbox(
              engine,
              layout,
              SandboxImages.fromEnvironment(System.getenv()),
              archiving(layout),
              progress),
          out);
    } catch (SandboxException e) {
      throw new Failures.UserError(e.getMessage(), SandboxCommand.UNHEALTHY);
    }
  }

  /** Checks options that need no engine. */
  void prepare(SandboxLayout layout) {}

  /** The store only; up and reset add the drctl jar. */
  WalArchiving archiving(SandboxLayout layout) {
    return WalArchiving.store(backups.directory(layout), null);
  }

  /** The node as indented JSON. */
  static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
