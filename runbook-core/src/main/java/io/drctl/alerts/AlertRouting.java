package io.drctl.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The runbook's alert routes, in order: which incident an alert concerns, on which target, with
 * which inputs. Pure, immutable and thread-safe.
 */
public final class AlertRouting {
  /** A runbook without an alerts section. */
  public static final AlertRouting NONE = new AlertRouting(List.of(), Set.of());

  private final List<AlertRoute> routes;
  private final Set<String> targets;

  /** {@code targets}: the runbook's target names, which a computed target must be one of. */
  public AlertRouting(List<AlertRoute> routes, Set<String> targets) {
    this.routes = List.copyOf(routes);
    this.targets = Set.copyOf(targets);
  }

  public List<AlertRoute> routes() {
    return routes;
  }

  /** Where an alert goes: its route, the incident type and target, and the inputs given. */
  public record Routed(AlertRoute route, String incident, String target, ObjectNode inputs) {
    /** The incident's workflow id: one incident per problem. */
    public String workflowId() {
      return IncidentIds.of(incident, target);
    }
  }

  /**
   * The first route that matches {@code alert}, evaluated; empty when none matches.
   *
   * @throws AlertRoutingException when the matching route's target or an input cannot be evaluated
   *     for this alert, or the target is not one of the runbook's
   */
  public Optional<Routed> route(Alert alert) throws AlertRoutingException {
    for (AlertRoute route : routes) {
      if (!route.matches(alert)) {
        continue;
      }
      JsonNode target = route.target().evaluate(alert);
      if (!target.isTextual() || !targets.contains(target.asText())) {
        throw new AlertRoutingException(
            "route "
                + route.name()
                + " gives target "
                + target
                + ", which is not a target of the runbook");
      }
      ObjectNode inputs = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, AlertTemplate> input : route.inputs().entrySet()) {
        try {
          inputs.set(input.getKey(), input.getValue().evaluate(alert));
        } catch (AlertRoutingException e) {
          throw new AlertRoutingException(
              "route " + route.name() + ", input " + input.getKey() + ": " + e.getMessage());
        }
      }
      return Optional.of(new Routed(route, route.incident(), target.asText(), inputs));
    }
    return Optional.empty();
  }
}
