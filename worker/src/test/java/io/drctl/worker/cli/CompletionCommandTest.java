package io.drctl.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CompletionCommandTest {
  @Test
  void bashScriptNamesEverySubcommandAtEveryLevel() {
    CliRun run = CliRun.of("completion", "bash");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> names = new ArrayList<>();
    collect(new CommandLine(new Drctl()), names);
    assertThat(names).contains("worker", "completion", "sandbox", "backups", "schedules");
    assertThat(names).allSatisfy(name -> assertThat(run.out()).contains(name));
    assertThat(run.out()).contains("complete -F _complete_drctl").contains("--log-format");
  }

  @Test
  void bashCompletesTheFirstWordToEveryTopLevelCommand(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path script =
        Files.writeString(dir.resolve("drctl.bash"), CliRun.of("completion", "bash").out());

    List<String> words = complete(script, "drctl", "");
    List<String> sandbox = complete(script, "drctl", "sandbox", "");

    assertThat(words).containsAll(new CommandLine(new Drctl()).getSubcommands().keySet());
    assertThat(sandbox).contains("up", "down", "status", "reset", "notifications");
  }

  @Test
  void zshScriptLoadsBashCompletionFirst() {
    CliRun run = CliRun.of("completion", "zsh");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("# drctl completion for zsh")
        .contains("bashcompinit")
        .contains("_complete_drctl");
  }

  @Test
  void anotherShellIsAUsageError() {
    CliRun run = CliRun.of("completion", "fish");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("fish").contains("bash").contains("zsh");
  }

  private static void collect(CommandLine command, List<String> names) {
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              names.add(name);
              collect(sub, names);
            });
  }

  /**
   * Runs the script's completion function in a real bash for {@code words}, the cursor in the last
   * one.
   */
  private static List<String> complete(Path script, String... words)
      throws IOException, InterruptedException {
    String program =
        """
        source "$0"
        shift
        COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _complete_drctl drctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf '%s\\n' "${COMPREPLY[@]}"
        """;
    List<String> command =
        new ArrayList<>(List.of("bash", "-c", program, script.toString(), "unused"));
    command.addAll(List.of(words));
    Process bash = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.exitValue()).as(out).isZero();
    return out.lines().map(String::strip).toList();
  }
}
