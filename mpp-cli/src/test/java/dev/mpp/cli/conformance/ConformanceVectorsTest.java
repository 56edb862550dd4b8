package dev.mpp.cli.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.cli.conformance.ConformanceRunner.Outcome;
import dev.mpp.cli.conformance.ConformanceRunner.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The official MPP conformance vectors (tempoxyz/mpp-tools {@code conformance/vectors}, kept in
 * {@code ../shared/conformance/vectors} beside the repository) run in-process through {@link
 * ConformanceAdapter#handle(String)}, the code path of {@code mpp conformance-adapter --jsonl}.
 * Prints the table and fails on any failing scenario; skipped with a message when the vectors are
 * not there (a clone outside this layout). {@code -Dmpp.conformance.vectors=DIR} points elsewhere.
 */
class ConformanceVectorsTest {

  /** Operations that may be unsupported: the server-side ones. */
  private static final Set<String> SERVER_SIDE =
      Set.of(
          "challenge.id",
          "server.verify",
          "tempo.fee_payer.cosign",
          "tempo.receipt.verify",
          "tempo.transaction.verify",
          "stripe.external_id_binding");

  @Test
  void everyVectorPassesOrIsUnsupportedServerSideOnly() throws Exception {
    Optional<Path> vectors = vectorsDirectory();
    if (vectors.isEmpty()) {
      String message =
          "conformance vectors not found (looked for "
              + (System.getProperty("mpp.conformance.vectors") != null
                  ? "-Dmpp.conformance.vectors=" + System.getProperty("mpp.conformance.vectors")
                  : "../shared/conformance/vectors beside the repository root")
              + "): conformance run skipped";
      System.out.println(message);
      Assumptions.abort(message);
    }

    List<Outcome> outcomes =
        new ConformanceRunner(ConformanceAdapter::handle).runAll(vectors.get());

    System.out.println("MPP conformance vectors: " + vectors.get());
    System.out.print(ConformanceRunner.table(outcomes));
    System.out.print(ConformanceRunner.details(outcomes));
    assertThat(outcomes).isNotEmpty();
    assertThat(outcomes).filteredOn(o -> o.status() == Status.FAIL).isEmpty();
    assertThat(outcomes)
        .filteredOn(o -> o.status() == Status.UNSUPPORTED)
        .allSatisfy(
            o ->
                assertThat(SERVER_SIDE)
                    .anyMatch(op -> o.detail().startsWith(op + ": server-side: ")));
  }

  /**
   * {@code -Dmpp.conformance.vectors}, else {@code shared/conformance/vectors} beside the
   * repository root (the first ancestor of the working directory holding {@code .git}, or the
   * reactor root when there is none).
   */
  static Optional<Path> vectorsDirectory() {
    String configured = System.getProperty("mpp.conformance.vectors");
    if (configured != null && !configured.isBlank()) {
      Path dir = Path.of(configured);
      return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }
    Path module = Path.of("").toAbsolutePath();
    Path root = null;
    for (Path dir = module; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(".git"))) {
        root = dir;
        break;
      }
    }
    if (root == null) {
      root = Files.exists(module.resolve("mpp-cli")) ? module : module.getParent();
    }
    if (root == null || root.getParent() == null) {
      return Optional.empty();
    }
    Path dir = root.getParent().resolve("shared").resolve("conformance").resolve("vectors");
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }
}
