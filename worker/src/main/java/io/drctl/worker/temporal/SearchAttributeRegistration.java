package io.drctl.worker.temporal;

import io.drctl.worker.TemporalSetupException;
import io.drctl.workflow.IncidentWorkflows;
import io.grpc.Status;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes sure a namespace has drctl's custom search attributes ({@link
 * IncidentWorkflows#SEARCH_ATTRIBUTES}, all Keyword), adding the missing ones. Idempotent: run by
 * every worker at start. Where the server refuses to add them (Temporal Cloud, a restricted
 * account), it fails with the commands that would.
 */
public final class SearchAttributeRegistration {
  private final OperatorServiceStubs operator;
  private final String namespace;

  public SearchAttributeRegistration(OperatorServiceStubs operator, String namespace) {
    this.operator = operator;
    this.namespace = namespace;
  }

  /**
   * What was found and done.
   *
   * @param listed false when the server cannot list search attributes (the Java test server), so
   *     the types of those that were there already could not be checked
   */
  public record Result(List<String> present, List<String> added, boolean listed) {
    public String summary() {
      return "search attributes: "
          + (added.isEmpty()
              ? "all " + present.size() + " present"
              : "added "
                  + String.join(", ", added)
                  + (present.isEmpty() ? "" : "; " + present.size() + " present"))
          + (listed ? "" : " (this server cannot list them, so their types were not checked)");
    }
  }

  public static List<String> names() {
    return IncidentWorkflows.SEARCH_ATTRIBUTES.stream().map(SearchAttributeKey::getName).toList();
  }

  /**
   * Checks the namespace and adds what is missing.
   *
   * @throws TemporalSetupException if one exists with another type, or the server refuses to add
   */
  public Result ensure() {
    Optional<Map<String, IndexedValueType>> existing = list();
    if (existing.isEmpty()) {
      return addOneByOne();
    }
    List<String> present = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : names()) {
      IndexedValueType type = existing.get().get(name);
      if (type == null) {
        missing.add(name);
      } else if (type != IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD) {
        throw TemporalSetupException.unavailable(
            "namespace '"
                + namespace
                + "' has search attribute "
                + name
                + " of type "
                + typeName(type)
                + ", but drctl needs Keyword; remove it (temporal operator search-attribute remove --name "
                + name
                + ") or use another namespace");
      } else {
        present.add(name);
      }
    }
    if (!missing.isEmpty()) {
      try {
        operator.blockingStub().addSearchAttributes(request(missing));
      } catch (RuntimeException e) {
        // Another worker may have added them a moment ago.
        Map<String, IndexedValueType> now = list().orElse(Map.of());
        if (!missing.stream()
            .allMatch(name -> now.get(name) == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)) {
          throw refused(missing, e);
        }
        present.addAll(missing);
        return new Result(present, List.of(), true);
      }
    }
    return new Result(present, missing, true);
  }

  private Optional<Map<String, IndexedValueType>> list() {
    try {
      return Optional.of(
          operator
              .blockingStub()
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
              .getCustomAttributesMap());
    } catch (RuntimeException e) {
      if (RpcErrors.is(e, Status.Code.UNIMPLEMENTED)) {
        return Optional.empty();
      }
      throw refused(names(), e);
    }
  }

  /**
   * Without a list, adding each and reading ALREADY_EXISTS is the only way to learn what is there.
   */
  private Result addOneByOne() {
    List<String> present = new ArrayList<>();
    List<String> added = new ArrayList<>();
    for (String name : names()) {
      try {
        operator.blockingStub().addSearchAttributes(request(List.of(name)));
        added.add(name);
      } catch (RuntimeException e) {
        if (!RpcErrors.is(e, Status.Code.ALREADY_EXISTS)) {
          throw refused(
              names().stream().filter(n -> !present.contains(n) && !added.contains(n)).toList(), e);
        }
        present.add(name);
      }
    }
    return new Result(present, added, false);
  }

  private AddSearchAttributesRequest request(List<String> names) {
    AddSearchAttributesRequest.Builder request =
        AddSearchAttributesRequest.newBuilder().setNamespace(namespace);
    names.forEach(
        name -> request.putSearchAttributes(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    return request.build();
  }

  private TemporalSetupException refused(List<String> names, RuntimeException e) {
    StringBuilder message =
        new StringBuilder("cannot register drctl's search attributes in namespace '")
            .append(namespace)
            .append("': ")
            .append(RpcErrors.describe(e))
            .append(
                "\nregister them once with the Temporal CLI (or tcld on Temporal Cloud), then start again:");
    for (String name : names) {
      message
          .append("\n  temporal operator search-attribute create --namespace ")
          .append(namespace)
          .append(" --name ")
          .append(name)
          .append(" --type Keyword");
    }
    return TemporalSetupException.unavailable(message.toString());
  }

  private static String typeName(IndexedValueType type) {
    String name = type.name().replace("INDEXED_VALUE_TYPE_", "");
    return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
