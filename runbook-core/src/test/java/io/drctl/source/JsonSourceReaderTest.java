package io.drctl.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonSourceReaderTest {
  private static final String TEXT =
      """
      {
        "version": "1.0.0",
        "incidents": [
          {"type": "x",
           "steps": [{"id": "a\\u0041", "action": "sleep"}]}
        ]
      }
      """;

  @Test
  void recordsTheLineAndColumnOfEveryValueAndKey() throws Exception {
    SourceDocument document = JsonSourceReader.read("r.json", TEXT);
    assertThat(document.valuePosition("/version")).isEqualTo(new SourcePosition(2, 14));
    assertThat(document.keyPosition("/version")).isEqualTo(new SourcePosition(2, 3));
    assertThat(document.valuePosition("/incidents/0/steps/0/action"))
        .isEqualTo(new SourcePosition(5, 44));
  }

  @Test
  void unknownPointersFallBackToTheNearestKnownAncestor() throws Exception {
    SourceDocument document = JsonSourceReader.read("r.json", TEXT);
    assertThat(document.valuePosition("/incidents/0/steps/0/with/x"))
        .isEqualTo(new SourcePosition(5, 16));
  }

  @Test
  void positionsInsideStringsAccountForEscapes() throws Exception {
    SourceDocument document = JsonSourceReader.read("r.json", TEXT);
    // "a\u0041": the decoded offset 2 is past the six-character escape.
    assertThat(document.positionInString("/incidents/0/steps/0/id", 2))
        .isEqualTo(new SourcePosition(5, 31));
  }

  @Test
  void duplicateKeysAreAnErrorAtTheSecondKey() {
    assertThatThrownBy(() -> JsonSourceReader.read("r.json", "{\n \"a\": 1,\n \"a\": 2\n}"))
        .isInstanceOfSatisfying(
            SourceSyntaxException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("duplicate property 'a'");
              assertThat(e.pointer()).isEqualTo("/a");
              assertThat(e.position()).isEqualTo(new SourcePosition(3, 2));
              assertThat(e.hint()).isEqualTo("first defined at line 2; remove one of them");
            });
  }

  @Test
  void trailingCommasAreReportedWithAHint() {
    assertThatThrownBy(() -> JsonSourceReader.read("r.json", "{\n \"a\": [1, 2,]\n}"))
        .isInstanceOfSatisfying(
            SourceSyntaxException.class,
            e -> {
              assertThat(e.position().line()).isEqualTo(2);
              assertThat(e.pointer()).isEqualTo("/a");
              assertThat(e.hint()).contains("trailing comma");
            });
  }

  @Test
  void contentAfterTheTopLevelValueIsAnError() {
    assertThatThrownBy(() -> JsonSourceReader.read("r.json", "{} {}"))
        .hasMessageContaining("after the end of the top-level value");
  }
}
