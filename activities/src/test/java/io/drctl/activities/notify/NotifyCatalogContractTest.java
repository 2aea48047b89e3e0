package io.drctl.activities.notify;

import static io.drctl.activities.http.CatalogWire.action;
import static io.drctl.activities.http.CatalogWire.names;
import static io.drctl.activities.http.CatalogWire.onTheWire;
import static io.drctl.activities.http.CatalogWire.received;
import static io.drctl.activities.http.CatalogWire.schemaTypes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.http.CatalogWire;
import io.drctl.activities.targets.StepTargets;
import io.drctl.catalog.ActionDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The notify records and activity types agree with {@code io/drctl/catalog/notify.json}. */
class NotifyCatalogContractTest {
  private static final ActionDefinition SEND = action("notify.send");
  private static final ActionDefinition ESCALATE = action("notify.escalate");

  @Test
  void notifyActionsAreRegisteredUnderTheirCatalogNames() {
    assertThat(CatalogWire.activityTypes(NotifyActivitiesImpl.class))
        .containsExactlyInAnyOrder("notify.send", "notify.escalate");
  }

  @Test
  void inputsHaveExactlyTheCatalogParamsAndTheTargetsMember() {
    assertThat(names(onTheWire(NotifySendInput.of("slack", null, "hi", Map.of()))))
        .containsExactlyInAnyOrderElementsOf(withTargets(SEND));
    assertThat(names(onTheWire(NotifyEscalateInput.of("pagerduty", "hi", Map.of()))))
        .containsExactlyInAnyOrderElementsOf(withTargets(ESCALATE));
  }

  @Test
  void defaultsAndEnumsAreTheCatalogs() {
    JsonNode send = SEND.params().path("properties");
    JsonNode escalate = ESCALATE.params().path("properties");
    NotifySendInput sendDefaults = NotifySendInput.of("slack", null, "hi", Map.of());
    NotifyEscalateInput escalateDefaults = NotifyEscalateInput.of("pagerduty", "hi", Map.of());

    assertThat(sendDefaults.format()).isEqualTo(send.path("format").path("default").asText());
    assertThat(sendDefaults.severity()).isEqualTo(send.path("severity").path("default").asText());
    assertThat(NotifyActivitiesImpl.SEND_FORMATS)
        .isEqualTo(strings(send.path("format").path("enum")));
    assertThat(NotifyActivitiesImpl.SEND_SEVERITIES)
        .isEqualTo(strings(send.path("severity").path("enum")));
    assertThat(escalateDefaults.format())
        .isEqualTo(escalate.path("format").path("default").asText());
    assertThat(escalateDefaults.level()).isEqualTo(escalate.path("level").path("default").asInt());
    assertThat(escalateDefaults.severity())
        .isEqualTo(escalate.path("severity").path("default").asText());
    assertThat(escalateDefaults.failAfterPaging())
        .isEqualTo(escalate.path("failAfterPaging").path("default").asBoolean());
    assertThat(NotifyActivitiesImpl.ESCALATE_FORMATS)
        .isEqualTo(strings(escalate.path("format").path("enum")));
    assertThat(NotifyActivitiesImpl.ESCALATE_SEVERITIES)
        .isEqualTo(strings(escalate.path("severity").path("enum")));
  }

  @Test
  void resultsHaveExactlyTheCatalogOutputFieldsAndTypes() {
    assertThat(schemaTypes(onTheWire(new NotifySendResult(true, 200, "k", "2026-01-01T00:00:00Z"))))
        .isEqualTo(SEND.outputFields());
    assertThat(
            schemaTypes(
                onTheWire(new NotifyEscalateResult(true, 202, "k", "2026-01-01T00:00:00Z"))))
        .isEqualTo(ESCALATE.outputFields());
  }

  @Test
  void theWorkflowsWithAndTargetsReachTheActivityWithDefaultsApplied() {
    NotifyEscalateInput input =
        received(
            "{\"target\": \"pagerduty\", \"message\": \"down\", \"failAfterPaging\": false,"
                + " \"$targets\": {\"pagerduty\": {\"kind\": \"http\","
                + " \"url\": \"http://127.0.0.1:58082/v2/enqueue\","
                + " \"headers\": {\"X-Routing-Key\": \"env:PAGERDUTY_ROUTING_KEY\"}}}}",
            NotifyEscalateInput.class);

    assertThat(input.failAfterPaging()).isFalse();
    assertThat(input.format()).isEqualTo("pagerduty");
    assertThat(input.level()).isEqualTo(1);
    assertThat(input.targets().get("pagerduty").path("headers").path("X-Routing-Key").asText())
        .isEqualTo("env:PAGERDUTY_ROUTING_KEY");
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
