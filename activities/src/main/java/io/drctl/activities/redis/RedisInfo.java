package io.drctl.activities.redis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of one INFO reply ({@code name:value} lines, sections merged), read once. Immutable.
 */
record RedisInfo(Map<String, String> fields) {
  RedisInfo {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  static RedisInfo parse(String reply) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : reply.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (!line.startsWith("#") && colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
      }
    }
    return new RedisInfo(fields);
  }

  /** The field's text, {@code ""} when absent. */
  String text(String field) {
    return fields.getOrDefault(field, "");
  }

  /** The field as a whole number, {@code 0} when absent. */
  long number(String field) {
    String value = text(field);
    return value.isEmpty() ? 0 : Long.parseLong(value);
  }

  double decimal(String field) {
    String value = text(field);
    return value.isEmpty() ? 0 : Double.parseDouble(value);
  }

  boolean flag(String field) {
    return number(field) == 1;
  }

  /** The numbers of the databases that hold keys ({@code db0}, {@code db3}, ...), ascending. */
  List<Integer> databases() {
    List<Integer> databases = new ArrayList<>();
    for (String field : fields.keySet()) {
      if (field.matches("db[0-9]+")) {
        databases.add(Integer.parseInt(field.substring(2)));
      }
    }
    Collections.sort(databases);
    return databases;
  }

  /** {@code keys} of {@code db<n>} in the keyspace section ({@code keys=3,expires=0,avg_ttl=0}). */
  long keys(int database) {
    return keyspace(database, "keys");
  }

  /** Keys with a time to live in {@code db<n>}. */
  long expiring(int database) {
    return keyspace(database, "expires");
  }

  /** Keys in all databases. */
  long keys() {
    return databases().stream().mapToLong(this::keys).sum();
  }

  private long keyspace(int database, String name) {
    for (String part : text("db" + database).split(",")) {
      if (part.startsWith(name + "=")) {
        return Long.parseLong(part.substring(name.length() + 1));
      }
    }
    return 0;
  }
}
