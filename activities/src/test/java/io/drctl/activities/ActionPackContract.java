package io.drctl.activities;

import static io.drctl.activities.http.CatalogWire.action;
import static io.drctl.activities.http.CatalogWire.activityTypes;
import static io.drctl.activities.http.CatalogWire.names;
import static io.drctl.activities.http.CatalogWire.onTheWire;
import static io.drctl.activities.http.CatalogWire.received;
import static io.drctl.activities.http.CatalogWire.schemaTypes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drctl.activities.targets.StepTargets;
import io.drctl.catalog.ActionCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every backend's records and activity types must agree on with its catalog file ({@code
 * io/drctl/catalog/PREFIX.json}). A backend's contract test extends this and declares {@code static
 * Stream<Arguments> actions()}: each action's name, an input with every optional field set, and a
 * result.
 */
public abstract class ActionPackContract {
  private final String prefix;
  private final Class<?> implementation;
  private final String minimalWith;

  /**
   * @param minimalWith the smallest {@code with} every input of the backend accepts, e.g. {@code
   *     {"target": "db"}}; the defaults test reads the rest from the catalog
   */
  protected ActionPackContract(String prefix, Class<?> implementation, String minimalWith) {
    this.prefix = prefix;
    this.implementation = implementation;
    this.minimalWith = minimalWith;
  }

  /** The {@code actions()} stream of the concrete class, found as JUnit finds its method source. */
  private Stream<Arguments> declaredActions() {
    try {
      java.lang.reflect.Method method = getClass().getDeclaredMethod("actions");
      method.setAccessible(true);
      @SuppressWarnings("unchecked")
      Stream<Arguments> actions = (Stream<Arguments>) method.invoke(null);
      return actions;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(
          getClass().getSimpleName() + " must declare static Stream<Arguments> actions()", e);
    }
  }

  @Test
  void everyCatalogActionOfTheBackendIsRegisteredUnderItsNameAndListedHere() {
    List<String> catalog =
        ActionCatalog.standard().names().stream().filter(name -> name.startsWith(prefix)).toList();

    assertThat(activityTypes(implementation)).containsExactlyInAnyOrderElementsOf(catalog);
    assertThat(declaredActions().map(arguments -> (String) arguments.get()[0]))
        .containsExactlyInAnyOrderElementsOf(catalog);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("actions")
  void inputHasExactlyTheCatalogParamsAndTheTargetsMember(
      String name, Object input, Object result) {
    List<String> expected = new ArrayList<>(names(action(name).params().path("properties")));
    expected.add(StepTargets.MEMBER);

    assertThat(names(onTheWire(input))).containsExactlyInAnyOrderElementsOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("actions")
  void resultHasExactlyTheCatalogOutputFieldsAndTypes(String name, Object input, Object result) {
    assertThat(schemaTypes(onTheWire(result))).isEqualTo(action(name).outputFields());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("actions")
  void absentParamsTakeTheCatalogDefaults(String name, Object input, Object result) {
    JsonNode wire = onTheWire(received(minimalWith, input.getClass()));
    action(name)
        .params()
        .path("properties")
        .fields()
        .forEachRemaining(
            param -> {
              JsonNode catalogDefault = param.getValue().path("default");
              if (!catalogDefault.isMissingNode()) {
                assertThat(wire.path(param.getKey()))
                    .as(name + " " + param.getKey())
                    .isEqualTo(catalogDefault);
              }
            });
  }
}
