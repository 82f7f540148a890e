package dev.durablerelease.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.sign.IdentityPolicy;
import dev.durablerelease.sign.SigstoreVerifier;
import dev.durablerelease.sign.dev.DevSigstore;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseWorkflow;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.bundle.Bundle;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.temporal.client.WorkflowOptions;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A signed release through the whole workflow, the token given by reference to a private Sigstore deployment (the dev
 * stack, run by the test): every file gets a verified bundle, and the token never reaches Temporal or the logs.
 */
class SignedReleaseTest extends SampleReleaseTestBase {
  private static final String SIGNER = "release-bot@example.org";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The sample's spec, with workers whose policy signs hello with the given stack in private mode, the token in a
   * file on the sign worker.
   */
  private ReleaseSpec signedSpec(DevSigstore sigstore, String token) throws Exception {
    Path trust = sigstore.writeTrustFiles(tmp.resolve("trust"));
    Path tokenFile = Files.writeString(tmp.resolve("id-token"), token);
    usePolicy("""
        projects:
          hello:
            repositories: ["**"]
            signing:
              mode: private
              identityToken: file:%s
              trustedRoot: %s
              signingConfig: %s
              expectIdentity: %s
              expectIssuer: %s
        """.formatted(tokenFile, trust.resolve("trusted_root.json"), trust.resolve("signing_config.json"), SIGNER,
        DevSigstore.ISSUER));
    startWorkers();
    String yaml = """
        project: hello
        version: 1.0.0
        docs: {command: make docs, outputs: [docs/_build/html]}
        """;
    return SpecLoader.load(yaml, "release.yaml", new SpecLoader.Overrides(repo.url(), null));
  }

  private ReleaseResult release(String id, ReleaseSpec spec) {
    return env.getWorkflowClient().newWorkflowStub(ReleaseWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId(id).build())
        .run(ReleaseRequest.of(spec));
  }

  @Test
  void everyArchiveSbomAndTheProvenanceGetAVerifiedBundleAndTheTokenStaysOutOfHistoryAndLogs() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    ReleaseResult result;
    String token;
    try (DevSigstore sigstore = DevSigstore.start()) {
      token = sigstore.mintToken(SIGNER, Duration.ofMinutes(10));
      result = release("release-hello-signed", signedSpec(sigstore, token));
    } finally {
      root.detachAppender(logs);
    }

    Map<String, ArtifactRef> files = result.artifacts().stream()
        .collect(Collectors.toMap(ArtifactRef::name, Function.identity()));
    List<ArtifactRef> signed = result.artifacts().stream()
        .filter(a -> a.kind() != ArtifactKind.SIGNATURE).toList();
    assertThat(signed).extracting(ArtifactRef::name).containsExactlyInAnyOrder("hello-1.0.0.tar.gz",
        "hello-1.0.0.tar.gz.spdx.json", "hello-1.0.0.tar.gz.cdx.json", "hello-1.0.0-docs-html.tar.gz",
        "hello-1.0.0-docs-html.tar.gz.spdx.json", "hello-1.0.0-docs-html.tar.gz.cdx.json",
        "provenance.intoto.json");
    SigstoreVerifier verifier =
        new SigstoreVerifier(TrustedRootProvider.from(tmp.resolve("trust/trusted_root.json")));
    for (ArtifactRef file : signed) {
      ArtifactRef bundle = files.get(file.name() + ".sigstore");
      assertThat(bundle).as("bundle of " + file.name()).isNotNull();
      try (var reader = new InputStreamReader(context.store().open(bundle.sha256()), StandardCharsets.UTF_8)) {
        verifier.verify(HexFormat.of().parseHex(file.sha256()), Bundle.from(reader),
            new IdentityPolicy(SIGNER, DevSigstore.ISSUER));
      }
    }

    // the provenance vouches for exactly the files built before it, by digest
    JsonNode provenance = JSON.readTree(context.store().open(files.get("provenance.intoto.json").sha256()));
    assertThat(provenance.get("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
    Map<String, String> subjects = new java.util.TreeMap<>();
    provenance.get("subject").forEach(s -> subjects.put(s.get("name").asText(), s.get("digest").get("sha256").asText()));
    assertThat(subjects).hasSize(6).allSatisfy((name, digest) -> assertThat(files.get(name).sha256()).isEqualTo(digest));
    JsonNode run = provenance.get("predicate").get("runDetails");
    assertThat(run.get("metadata").get("invocationId").asText()).startsWith("release-hello-signed/");
    assertThat(run.get("builder").get("id").asText()).isEqualTo("urn:durable-release:worker:test-worker");
    assertThat(run.get("byproducts")).extracting(b -> b.get("name").asText())
        .containsExactly("stage:checkPolicy", "stage:checkout", "stage:buildSource", "stage:buildDocs",
            "stage:generateSbom");

    // secrets: the whole history as the client fetches it, its payloads decoded, and every log line
    String history = decodedHistory("release-hello-signed");
    // the workflow knows whom the bundles name, and not even where the sign worker finds its token
    assertThat(history).contains(SIGNER).doesNotContain("identityToken").doesNotContain(tmp.resolve("id-token")
        .toString());
    String logText = logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    for (String secret : List.of(token, token.split("\\.")[1], token.split("\\.")[2], "PRIVATE KEY")) {
      assertThat(history).doesNotContain(secret);
      assertThat(logText).doesNotContain(secret);
    }
  }

  @Test
  void caOutageDuringSigningIsRetriedAndTheReleaseSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ServerInterceptor firstCallFails = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        if (calls.incrementAndGet() == 1) {
          call.close(Status.UNAVAILABLE.withDescription("CA restarting"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
      }
    };
    try (DevSigstore sigstore = DevSigstore.start(DevSigstore.Options.DEFAULT.withCaInterceptor(firstCallFails))) {
      ReleaseResult result = release("release-hello-retry-sign",
          signedSpec(sigstore, sigstore.mintToken(SIGNER, Duration.ofMinutes(10))));
      StageStatus sign = result.stages().stream().filter(s -> s.stage().equals("sign")).findFirst().orElseThrow();
      assertThat(sign.attempts()).isEqualTo(2);
      assertThat(calls).hasValue(2);
    }
  }

  /** The history as JSON with every payload's base64 data decoded beside it, so a secret cannot hide in encoding. */
  private String decodedHistory(String workflowId) {
    String json = env.getWorkflowClient().fetchHistory(workflowId).toJson(true);
    StringBuilder all = new StringBuilder(json);
    // the JSON escapes base64 padding as \u003d; the decoder does without it
    Matcher data = Pattern.compile("\"data\"\\s*:\\s*\"([A-Za-z0-9+/=]+)(?:\\\\u003d)*\"").matcher(json);
    while (data.find()) {
      all.append('\n').append(new String(Base64.getDecoder().decode(data.group(1)), StandardCharsets.UTF_8));
    }
    return all.toString();
  }
}
