package io.drctl.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Action definitions read from a catalog JSON file on the class path. */
public class ResourceActionPack implements ActionPack {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String name;
  private final String resource;

  public ResourceActionPack(String name, String resource) {
    this.name = name;
    this.resource = resource;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<ActionDefinition> actions() {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "catalog resource " + resource + " is missing from the class path");
      }
      JsonNode root = JSON.readTree(in);
      List<ActionDefinition> result = new ArrayList<>();
      for (JsonNode action : root.path("actions")) {
        result.add(
            new ActionDefinition(
                action.path("name").asText(),
                ActionKind.fromJson(action.path("kind").asText("activity")),
                action.path("title").asText(""),
                action.path("description").asText(""),
                action.get("params"),
                action.get("output"),
                action.path("destructive").asBoolean(false),
                action.path("idempotent").asBoolean(false),
                action.path("guard").asBoolean(false),
                action.path("background").asBoolean(false),
                action.path("defaultTimeout").asText(null),
                action.path("defaultHeartbeat").asText(null)));
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read catalog resource " + resource, e);
    }
  }
}
