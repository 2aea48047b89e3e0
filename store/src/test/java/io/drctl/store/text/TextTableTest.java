package io.drctl.store.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {
  @Test
  void columnsAreAsWideAsTheirWidestCellUnderARule() {
    TextTable table = new TextTable("id", "status");
    table.row("incident-1", "ok");
    table.row("i2", "");

    assertThat(table.render())
        .isEqualTo(
            """
        id          status
        ----------  ------
        incident-1  ok
        i2
        """);
  }

  @Test
  void aLongCellIsCutUnlessTheTableIsUncapped() {
    String location = "wal/0000000100000000000000A1-" + "x".repeat(40);
    TextTable capped = new TextTable("file", "size");
    capped.row(location, "16 MiB");
    TextTable uncapped = new TextTable("file", "size").uncapped();
    uncapped.row(location, "16 MiB");

    assertThat(capped.render().lines().skip(2).findFirst().orElseThrow())
        .startsWith(location.substring(0, TextTable.MAX_WIDTH - 1) + "…  16 MiB");
    assertThat(uncapped.render()).contains(location + "  16 MiB");
  }

  @Test
  void aRowOfTheWrongWidthIsRefused() {
    assertThatThrownBy(() -> new TextTable("a", "b").row("only one"))
        .hasMessage("a row of 1 cells in a table of 2 columns");
  }
}
