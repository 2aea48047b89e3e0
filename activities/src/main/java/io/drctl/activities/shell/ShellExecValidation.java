package io.drctl.activities.shell;

import io.drctl.activities.ActionFailures;
import java.util.List;
import java.util.Map;

/**
 * The checks on a {@link ShellExecInput} that the compiler's schema check may not have made (an
 * older runbook, a hand-started activity). Failures are {@link ActionFailures#INVALID_INPUT}.
 */
final class ShellExecValidation {

  private ShellExecValidation() {}

  static void check(ShellExecInput input) {
    if (input == null) {
      throw ActionFailures.invalidInput("shell.exec needs an input with argv");
    }
    List<String> argv = input.argv();
    if (argv.isEmpty()) {
      throw ActionFailures.invalidInput("argv must name a program");
    }
    for (int index = 0; index < argv.size(); index++) {
      String argument = argv.get(index);
      if (argument == null || argument.isEmpty()) {
        throw ActionFailures.invalidInput("argv[" + index + "] is empty");
      }
      if (argument.indexOf('\0') >= 0) {
        throw ActionFailures.invalidInput("argv[" + index + "] contains a NUL character");
      }
    }
    for (Map.Entry<String, String> variable : input.env().entrySet()) {
      String name = variable.getKey();
      if (name == null || name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
        throw ActionFailures.invalidInput("env has an invalid variable name '" + name + "'");
      }
      if (variable.getValue() == null) {
        throw ActionFailures.invalidInput("env." + name + " has no value");
      }
      if (variable.getValue().indexOf('\0') >= 0) {
        throw ActionFailures.invalidInput("env." + name + " contains a NUL character");
      }
    }
    int maxOutputBytes = input.maxOutputBytes();
    if (maxOutputBytes < 0 || maxOutputBytes > ShellExecInput.MAX_OUTPUT_BYTES_LIMIT) {
      throw ActionFailures.invalidInput(
          "maxOutputBytes must be between 0 and "
              + ShellExecInput.MAX_OUTPUT_BYTES_LIMIT
              + ", was "
              + maxOutputBytes);
    }
  }
}
