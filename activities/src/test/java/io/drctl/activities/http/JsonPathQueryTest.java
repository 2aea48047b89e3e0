package io.drctl.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

class JsonPathQueryTest {
  private static final JsonNode BODY =
      parse(
          "{\"status\": \"ok\", \"a b\": 1, \"it's\": 2, \"db-pool\": {\"free\": 3},"
              + " \"items\": [{\"id\": 10}, {\"id\": 20}, {\"id\": 30}]}");

  private static JsonNode parse(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String select(String path) {
    return JsonPathQuery.parse(path).select(BODY).map(JsonNode::toString).orElse("<none>");
  }

  @Test
  void dollarAloneIsTheWholeDocument() {
    assertThat(select("$")).isEqualTo(BODY.toString());
  }

  @Test
  void membersIndexesAndQuotedNamesSelectOneValue() {
    assertThat(select("$.status")).isEqualTo("\"ok\"");
    assertThat(select("$['a b']")).isEqualTo("1");
    assertThat(select("$[\"it's\"]")).isEqualTo("2");
    assertThat(select("$['it\\'s']")).isEqualTo("2");
    assertThat(select("$.db-pool.free")).isEqualTo("3");
    assertThat(select("$.items[1].id")).isEqualTo("20");
    assertThat(select("$.items[-1]['id']")).isEqualTo("30");
  }

  @Test
  void missingMemberOrIndexOrWrongShapeSelectsNothing() {
    assertThat(select("$.nope")).isEqualTo("<none>");
    assertThat(select("$.items[3]")).isEqualTo("<none>");
    assertThat(select("$.items[-4]")).isEqualTo("<none>");
    assertThat(select("$.status.length")).isEqualTo("<none>");
    assertThat(select("$.status[0]")).isEqualTo("<none>");
  }

  @Test
  void pathsThatCouldSelectSeveralValuesAreInvalidInput() {
    for (String path :
        new String[] {
          "$..id",
          "$.items[*]",
          "$.*",
          "$.items[0:2]",
          "$.items[?(@.id > 1)]",
          "$.items[0,1]",
          "status",
          "$.",
          "$[",
          "$['open",
          "$.items[1"
        }) {
      ApplicationFailure failure =
          catchThrowableOfType(ApplicationFailure.class, () -> JsonPathQuery.parse(path));

      assertThat(failure).as(path).isNotNull();
      assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
      assertThat(failure.getOriginalMessage())
          .startsWith("jsonPath '" + path + "' is not supported");
    }
  }
}
