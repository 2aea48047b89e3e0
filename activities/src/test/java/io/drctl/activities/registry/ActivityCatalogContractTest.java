package io.drctl.activities.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.activities.secrets.SecretResolver;
import io.drctl.activities.shell.ShellBackend;
import io.drctl.activities.shell.ShellExecInput;
import io.drctl.activities.shell.ShellExecResult;
import io.drctl.catalog.ActionCatalog;
import io.drctl.catalog.ActionDefinition;
import io.drctl.catalog.ActionKind;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.metadata.POJOActivityImplMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The activity records and types agree with the action catalog the compiler checks runbooks by. */
class ActivityCatalogContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;
  private static final ActionDefinition SHELL_EXEC =
      ActionCatalog.standard().find("shell.exec").orElseThrow();

  @Test
  void shellExecIsRegisteredUnderItsCatalogName() {
    assertThat(activityTypes(ShellBackend.create(new SecretResolver(Map.of())).getClass()))
        .containsExactly("shell.exec");
  }

  @Test
  void everyRegisteredActivityTypeIsACatalogActivity() {
    List<String> types = new ArrayList<>();
    for (Object implementation : ActivityRegistry.implementations(new SecretResolver(Map.of()))) {
      types.addAll(activityTypes(implementation.getClass()));
    }

    assertThat(types).isNotEmpty().doesNotHaveDuplicates();
    for (String type : types) {
      Optional<ActionDefinition> action = ActionCatalog.standard().find(type);
      assertThat(action).as(type).isPresent();
      assertThat(action.get().kind()).isEqualTo(ActionKind.ACTIVITY);
    }
  }

  @Test
  void shellExecInputHasExactlyTheCatalogParams() {
    JsonNode input = onTheWire(ShellExecInput.of("true"));

    assertThat(names(input))
        .containsExactlyInAnyOrderElementsOf(names(SHELL_EXEC.params().path("properties")));
  }

  @Test
  void shellExecInputDefaultsAndLimitsAreTheCatalogs() {
    JsonNode properties = SHELL_EXEC.params().path("properties");
    ShellExecInput defaults = ShellExecInput.of("true");

    assertThat(defaults.expectedExitCode())
        .isEqualTo(properties.path("expectedExitCode").path("default").asInt());
    assertThat(defaults.maxOutputBytes())
        .isEqualTo(properties.path("maxOutputBytes").path("default").asInt());
    assertThat(ShellExecInput.MAX_OUTPUT_BYTES_LIMIT)
        .isEqualTo(properties.path("maxOutputBytes").path("maximum").asInt());
  }

  @Test
  void shellExecResultHasExactlyTheCatalogOutputFieldsAndTypes() {
    JsonNode result = onTheWire(new ShellExecResult(0, "", "", false, 1));
    Map<String, String> types = new LinkedHashMap<>();
    result
        .fields()
        .forEachRemaining(field -> types.put(field.getKey(), jsonSchemaType(field.getValue())));

    assertThat(types).isEqualTo(SHELL_EXEC.outputFields());
  }

  @Test
  void theWorkflowsJsonWithReachesTheActivityWithUnknownFieldsIgnoredAndDefaultsApplied() {
    // The interpreter passes the evaluated `with` as one JSON object through an untyped stub.
    ObjectNode with = JsonNodeFactory.instance.objectNode();
    with.putArray("argv").add("echo").add("hi");
    with.put("stdin", "text");
    with.put("addedByANewerCompiler", true);

    ShellExecInput input =
        CONVERTER.fromPayload(
            CONVERTER.toPayload(with).orElseThrow(), ShellExecInput.class, ShellExecInput.class);

    assertThat(input.argv()).containsExactly("echo", "hi");
    assertThat(input.stdin()).isEqualTo("text");
    assertThat(input.env()).isEmpty();
    assertThat(input.expectedExitCode()).isZero();
    assertThat(input.maxOutputBytes()).isEqualTo(65_536);
  }

  /** The JSON Temporal's default data converter makes of a value. */
  private static JsonNode onTheWire(Object value) {
    try {
      return JSON.readTree(CONVERTER.toPayload(value).orElseThrow().getData().toStringUtf8());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The activity types Temporal itself derives from the implementation's interfaces. */
  private static List<String> activityTypes(Class<?> implementation) {
    return POJOActivityImplMetadata.newInstance(implementation).getActivityMethods().stream()
        .map(POJOActivityMethodMetadata::getActivityTypeName)
        .toList();
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    Iterator<String> iterator = object.fieldNames();
    iterator.forEachRemaining(names::add);
    return names;
  }

  private static String jsonSchemaType(JsonNode value) {
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    return value.isTextual() ? "string" : value.getNodeType().name().toLowerCase();
  }
}
