package io.drctl.catalog;

import java.util.List;

/**
 * The actions that ship with drctl, one catalog file per backend. The definitions exist before
 * their implementations, so the compiler can check runbooks for backends still being built.
 */
public final class StandardActionPacks {
  private static final List<String> BACKENDS =
      List.of("builtin", "shell", "docker", "http", "postgres", "redis", "backup", "notify");

  private StandardActionPacks() {}

  public static List<ActionPack> all() {
    return BACKENDS.stream().<ActionPack>map(StandardActionPacks::pack).toList();
  }

  private static ActionPack pack(String backend) {
    return new ResourceActionPack(backend, "io/drctl/catalog/" + backend + ".json");
  }
}
