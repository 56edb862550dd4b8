package dev.mpp.testkit.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The loopback card merchant ({@code examples/mpp-server/card-server.mjs}, npm {@code jose@6.2.19})
 * on a free port: it issues {@code card/charge} challenges with its RSA-OAEP-256 key inline ({@code
 * /card/inline}, {@code /card/billing}, {@code /card/decline}) or through its JWK Set ({@code
 * /card/jwks}), decrypts every credential with {@code jose} and checks the cryptogram it expects
 * for the challenge. It needs no chain.
 *
 * <p>Its realm is {@code 127.0.0.1:<port>}; it speaks plain HTTP, so card rails paying it need
 * their loopback testing opt-in. Thread-safe.
 */
public final class LocalCardServer implements AutoCloseable {
  /** The cryptogram secret the server derives expected cryptograms from, unless configured. */
  public static final String DEFAULT_CRYPTOGRAM_SECRET = "mpp-card-test-cryptogram-secret";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

  private final ManagedProcess process;
  private final URI baseUrl;
  private final String kid;

  private LocalCardServer(ManagedProcess process, URI baseUrl, String kid) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.kid = kid;
  }

  /**
   * Starts a card server expecting cryptograms derived from {@code cryptogramSecret}.
   *
   * @throws StackUnavailableException if Node.js or the server's packages are missing, or the
   *     server exits or is not ready in time
   */
  public static LocalCardServer start(String cryptogramSecret) {
    Objects.requireNonNull(cryptogramSecret, "cryptogramSecret");
    StackEnvironment env = StackEnvironment.detect();
    env.requireServerInstalled();
    Path script = env.serverDir().resolve("card-server.mjs");
    ManagedProcess process =
        ManagedProcess.start(
            "card-server",
            List.of(env.nodeExecutable().toString(), script.toString(), "--port", "0"),
            env.serverDir(),
            Map.of("MPP_CARD_CRYPTOGRAM_SECRET", cryptogramSecret),
            env.logDir());
    JsonNode ready =
        process.awaitLogLine(LocalCardServer::readyLine, STARTUP_TIMEOUT, "its ready line");
    int port = ready.path("port").asInt(-1);
    if (port <= 0 || port > 65535) {
      throw process.failStartup("ready line has no valid port: " + ready, null);
    }
    return new LocalCardServer(
        process, URI.create("http://127.0.0.1:" + port), ready.path("kid").asText());
  }

  private static Optional<JsonNode> readyLine(String line) {
    if (!line.startsWith("{\"ready\":")) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(line);
      return node.path("ready").asBoolean(false) ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** The realm of its challenges: {@code 127.0.0.1:<port>}. */
  public String realm() {
    return baseUrl.getAuthority();
  }

  /** The {@code kid} of the server's encryption key. */
  public String kid() {
    return kid;
  }

  /** A paid route, e.g. {@code url("/card/inline")}. */
  public URI url(String path) {
    return baseUrl.resolve(path);
  }

  /** The server's log file: the ready line and one JSON line per request. */
  public Path log() {
    return process.log();
  }

  /** Stops the server. Idempotent. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return "LocalCardServer[" + baseUrl + ", " + process + "]";
  }
}
