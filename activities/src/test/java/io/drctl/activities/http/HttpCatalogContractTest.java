package io.drctl.activities.http;

import static io.drctl.activities.http.CatalogWire.action;
import static io.drctl.activities.http.CatalogWire.names;
import static io.drctl.activities.http.CatalogWire.onTheWire;
import static io.drctl.activities.http.CatalogWire.received;
import static io.drctl.activities.http.CatalogWire.schemaTypes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.drctl.activities.targets.StepTargets;
import io.drctl.catalog.ActionDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The http records and activity types agree with {@code io/drctl/catalog/http.json}. */
class HttpCatalogContractTest {
  private static final ActionDefinition CHECK = action("http.check");
  private static final ActionDefinition REQUEST = action("http.request");
  private static final Map<String, JsonNode> TARGETS =
      TestHttpServer.targets("api", "http://127.0.0.1:1", Map.of());

  @Test
  void httpActionsAreRegisteredUnderTheirCatalogNames() {
    assertThat(CatalogWire.activityTypes(HttpActivitiesImpl.class))
        .containsExactlyInAnyOrder("http.check", "http.request");
  }

  @Test
  void checkInputHasExactlyTheCatalogParamsAndTheTargetsMember() {
    JsonNode input =
        onTheWire(
            HttpCheckInput.of("api", "/", TARGETS).withJsonPath("$.a", TextNode.valueOf("x")));

    assertThat(names(input)).containsExactlyInAnyOrderElementsOf(withTargets(CHECK));
  }

  @Test
  void requestInputHasExactlyTheCatalogParamsAndTheTargetsMember() {
    assertThat(names(onTheWire(HttpRequestInput.of("api", "POST", "/", TARGETS))))
        .containsExactlyInAnyOrderElementsOf(withTargets(REQUEST));
  }

  @Test
  void defaultsAndLimitsAreTheCatalogs() {
    JsonNode check = CHECK.params().path("properties");
    JsonNode request = REQUEST.params().path("properties");
    HttpCheckInput checkDefaults = HttpCheckInput.of("api", null, TARGETS);
    HttpRequestInput requestDefaults = HttpRequestInput.of("api", null, null, TARGETS);

    assertThat(checkDefaults.path()).isEqualTo(check.path("path").path("default").asText());
    assertThat(checkDefaults.method()).isEqualTo(check.path("method").path("default").asText());
    assertThat(checkDefaults.expectedStatus())
        .isEqualTo(check.path("expectedStatus").path("default").asInt());
    assertThat(checkDefaults.maxLatency())
        .isEqualTo(check.path("maxLatency").path("default").asText());
    assertThat(checkDefaults.timeout()).isEqualTo(check.path("timeout").path("default").asText());
    assertThat(checkDefaults.failOnProblem())
        .isEqualTo(check.path("failOnProblem").path("default").asBoolean());
    assertThat(HttpActivitiesImpl.CHECK_METHODS)
        .containsExactlyInAnyOrderElementsOf(strings(check.path("method").path("enum")));
    assertThat(requestDefaults.method()).isEqualTo(request.path("method").path("default").asText());
    assertThat(requestDefaults.path()).isEqualTo(request.path("path").path("default").asText());
    assertThat(requestDefaults.contentType())
        .isEqualTo(request.path("contentType").path("default").asText());
    assertThat(requestDefaults.timeout())
        .isEqualTo(request.path("timeout").path("default").asText());
    assertThat(requestDefaults.maxResponseBytes())
        .isEqualTo(request.path("maxResponseBytes").path("default").asInt());
    assertThat(requestDefaults.expectedStatus()).isNull();
    assertThat(HttpRequestInput.MAX_RESPONSE_BYTES_LIMIT)
        .isEqualTo(request.path("maxResponseBytes").path("maximum").asInt());
    assertThat(HttpActivitiesImpl.REQUEST_METHODS)
        .containsExactlyInAnyOrderElementsOf(strings(request.path("method").path("enum")));
  }

  @Test
  void resultsHaveExactlyTheCatalogOutputFieldsAndTypes() {
    assertThat(schemaTypes(onTheWire(new HttpCheckResult(true, 200, 12, "\"ok\"", 2, ""))))
        .isEqualTo(CHECK.outputFields());
    assertThat(
            schemaTypes(
                onTheWire(
                    new HttpRequestResult(200, 12, "{}", JsonNodeFactory.instance.objectNode()))))
        .isEqualTo(REQUEST.outputFields());
  }

  @Test
  void theWorkflowsWithAndTargetsReachTheActivityWithDefaultsApplied() {
    HttpCheckInput input =
        received(
            "{\"target\": \"backend-api\", \"path\": \"/health\", \"addedLater\": 1, \"$targets\":"
                + " {\"backend-api\": {\"kind\": \"http\", \"url\": \"http://10.0.0.5:8000\","
                + " \"headers\": {\"Authorization\": \"env:API_TOKEN\"}}}}",
            HttpCheckInput.class);

    assertThat(input.target()).isEqualTo("backend-api");
    assertThat(input.targets().get("backend-api").path("headers").path("Authorization").asText())
        .isEqualTo("env:API_TOKEN");
    assertThat(input.expected()).as("absent expected").isNull();
    assertThat(input.failOnProblem()).isTrue();
    assertThat(input.toString()).contains("$targets=[backend-api]").doesNotContain("env:API_TOKEN");
  }

  @Test
  void expectedNullIsKeptApartFromAbsentExpectedOnTheWire() {
    HttpCheckInput mustBeNull =
        received(
            "{\"target\": \"api\", \"jsonPath\": \"$.error\", \"expected\": null}",
            HttpCheckInput.class);
    HttpCheckInput roundTrip = received(onTheWire(mustBeNull).toString(), HttpCheckInput.class);
    HttpCheckInput absentRoundTrip =
        received(
            onTheWire(HttpCheckInput.of("api", "/", TARGETS)).toString(), HttpCheckInput.class);

    assertThat(mustBeNull.expected()).isNotNull();
    assertThat(mustBeNull.expected().isNull()).isTrue();
    assertThat(roundTrip.expected()).isNotNull();
    assertThat(absentRoundTrip.expected()).isNull();
  }

  private static List<String> withTargets(ActionDefinition action) {
    List<String> names = new ArrayList<>(names(action.params().path("properties")));
    names.add(StepTargets.MEMBER);
    return names;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
