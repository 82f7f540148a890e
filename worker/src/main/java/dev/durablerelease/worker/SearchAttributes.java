package dev.durablerelease.worker;

import dev.durablerelease.workflow.ReleaseSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The release search attributes on the server: registered on the embedded one; checked on a real cluster before a
 * worker serves workflows, because a workflow that upserts an unregistered attribute fails its task forever.
 */
public final class SearchAttributes {
  private SearchAttributes() {}

  /** Registers every release search attribute (the Java test server starts with none and cannot list them). */
  public static void register(WorkflowServiceStubs stubs, String namespace) {
    add(stubs, namespace, ReleaseSearchAttributes.ALL.stream().map(key -> key.getName()).toList());
  }

  /** Registers the release search attributes a real server lacks (the dev server we start, on first use). */
  public static void registerMissing(WorkflowServiceStubs stubs, String namespace) {
    List<String> missing = missing(stubs, namespace);
    if (!missing.isEmpty()) {
      add(stubs, namespace, missing);
    }
  }

  private static void add(WorkflowServiceStubs stubs, String namespace, List<String> names) {
    AddSearchAttributesRequest.Builder request = AddSearchAttributesRequest.newBuilder().setNamespace(namespace);
    names.forEach(name -> request.putSearchAttributes(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    OperatorServiceStubs operator = operator(stubs);
    try {
      operator.blockingStub().addSearchAttributes(request.build());
    } finally {
      operator.shutdown();
    }
  }

  /**
   * Refuses to go on when a real cluster lacks one of the attributes, printing the commands that add them. Servers
   * that cannot list attributes (the Java test server) are trusted to have been registered by {@link #register}.
   */
  public static void requireRegistered(WorkflowServiceStubs stubs, String namespace) {
    List<String> missing;
    try {
      missing = missing(stubs, namespace);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return;
      }
      throw e;
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("namespace " + namespace + " lacks the search attributes " + missing
          + "; register them once with:\n" + missing.stream()
              .map(name -> "  temporal operator search-attribute create --namespace " + namespace + " --name " + name
                  + " --type Keyword")
              .collect(Collectors.joining("\n")));
    }
  }

  private static List<String> missing(WorkflowServiceStubs stubs, String namespace) {
    OperatorServiceStubs operator = operator(stubs);
    ListSearchAttributesResponse registered;
    try {
      registered = operator.blockingStub()
          .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build());
    } finally {
      operator.shutdown();
    }
    return ReleaseSearchAttributes.ALL.stream()
        .map(key -> key.getName())
        .filter(name -> !registered.getCustomAttributesMap().containsKey(name)
            && !registered.getSystemAttributesMap().containsKey(name))
        .toList();
  }

  private static OperatorServiceStubs operator(WorkflowServiceStubs stubs) {
    return OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
        .setChannel(stubs.getRawChannel())
        .validateAndBuildWithDefaults());
  }
}
