package io.drctl.catalog;

import java.util.List;

/**
 * A set of action definitions contributed by one backend. Packs are found with {@link
 * java.util.ServiceLoader}, so a new backend plugs into the catalog without touching the compiler.
 */
public interface ActionPack {
  /** A short name for messages, e.g. "postgres". */
  String name();

  /** The definitions; called once when the catalog is built. */
  List<ActionDefinition> actions();
}
