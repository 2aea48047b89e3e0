package io.drctl.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one registry of actions. Registering a name twice is an error, never a silent override.
 * Immutable and thread-safe once built.
 */
public final class ActionCatalog {
  private final Map<String, ActionDefinition> actions;

  private ActionCatalog(Map<String, ActionDefinition> actions) {
    this.actions = Collections.unmodifiableMap(new TreeMap<>(actions));
  }

  private static volatile ActionCatalog standard;

  /** The shipped actions plus any {@link ActionPack} found by the service loader. */
  public static ActionCatalog standard() {
    ActionCatalog result = standard;
    if (result == null) {
      synchronized (ActionCatalog.class) {
        if (standard == null) {
          Builder builder = builder();
          StandardActionPacks.all().forEach(builder::register);
          ServiceLoader.load(ActionPack.class).forEach(builder::register);
          standard = builder.build();
        }
        result = standard;
      }
    }
    return result;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<ActionDefinition> find(String name) {
    return Optional.ofNullable(actions.get(name));
  }

  public Set<String> names() {
    return actions.keySet();
  }

  public List<ActionDefinition> all() {
    return new ArrayList<>(actions.values());
  }

  /** Collects definitions; rejects duplicates and malformed definitions. */
  public static final class Builder {
    private final Map<String, ActionDefinition> actions = new LinkedHashMap<>();
    private final Map<String, String> origin = new LinkedHashMap<>();

    public Builder register(ActionPack pack) {
      for (ActionDefinition action : pack.actions()) {
        register(pack.name(), action);
      }
      return this;
    }

    public Builder register(String packName, ActionDefinition action) {
      String name = action.name();
      if (name == null || !name.matches("[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)?")) {
        throw new IllegalArgumentException(
            "pack " + packName + ": invalid action name '" + name + "'");
      }
      if (action.kind() == ActionKind.ACTIVITY == (name.indexOf('.') < 0)) {
        throw new IllegalArgumentException(
            "pack "
                + packName
                + ": action '"
                + name
                + "': activities are named prefix.verb, built-ins have no prefix");
      }
      if (!"object".equals(action.params().path("type").asText())) {
        throw new IllegalArgumentException(
            "pack "
                + packName
                + ": action '"
                + name
                + "': params must be a JSON Schema of type object");
      }
      if (action.background() && (action.kind() != ActionKind.ACTIVITY || action.destructive())) {
        throw new IllegalArgumentException(
            "pack "
                + packName
                + ": action '"
                + name
                + "': only a non-destructive activity may run in the background");
      }
      String previous = origin.putIfAbsent(name, packName);
      if (previous != null) {
        throw new IllegalStateException(
            "action '"
                + name
                + "' is registered twice: by pack "
                + previous
                + " and by pack "
                + packName);
      }
      actions.put(name, action);
      return this;
    }

    public ActionCatalog build() {
      return new ActionCatalog(actions);
    }
  }
}
