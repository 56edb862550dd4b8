package dev.mpp.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing prerequisites fail loudly with instructions, never silently. */
class StackEnvironmentTest {

  @TempDir Path repo;

  private static UnaryOperator<String> map(Map<String, String> values) {
    return values::get;
  }

  private Path fakeRepoWithoutNodeModules() throws IOException {
    Path server = Files.createDirectories(repo.resolve(StackEnvironment.SERVER_DIR));
    Files.writeString(server.resolve("package.json"), "{}");
    return Files.createDirectories(repo.resolve("mpp-testkit"));
  }

  @Test
  void findsTheRepositoryRootAboveTheWorkingDirectory() throws IOException {
    Path module = fakeRepoWithoutNodeModules();

    StackEnvironment env = StackEnvironment.detect(module, map(Map.of()), map(Map.of()));

    assertThat(env.repoRoot()).isEqualTo(repo.toAbsolutePath().normalize());
    assertThat(env.logDir()).isEqualTo(module.resolve("target/stack-logs")).isDirectory();
  }

  @Test
  void missingNodeModulesNamesTheInstallCommand() throws IOException {
    Path module = fakeRepoWithoutNodeModules();
    StackEnvironment env = StackEnvironment.detect(module, map(Map.of()), map(Map.of()));

    assertThatThrownBy(env::anvilBinary)
        .isInstanceOf(StackUnavailableException.class)
        .hasMessageStartingWith("The local MPP stack")
        .hasMessageContaining("npm ci --ignore-scripts");
    assertThatThrownBy(env::requireServerInstalled)
        .isInstanceOf(StackUnavailableException.class)
        .hasMessageContaining("mppx is not installed")
        .hasMessageContaining("npm ci --ignore-scripts");
  }

  @Test
  void inCiTheMessageSaysTheStackIsRequired() throws IOException {
    Path module = fakeRepoWithoutNodeModules();
    StackEnvironment env =
        StackEnvironment.detect(module, map(Map.of("CI", "true")), map(Map.of()));

    assertThatThrownBy(env::requireServerInstalled)
        .isInstanceOf(StackUnavailableException.class)
        .hasMessageStartingWith("CI is set and the local MPP stack is required");
  }

  @Test
  void missingNodeSaysHowToProvideIt() throws IOException {
    Path module = fakeRepoWithoutNodeModules();
    Path emptyBin = Files.createDirectories(repo.resolve("empty-bin"));
    StackEnvironment env =
        StackEnvironment.detect(module, map(Map.of("PATH", emptyBin.toString())), map(Map.of()));

    assertThatThrownBy(env::nodeExecutable)
        .isInstanceOf(StackUnavailableException.class)
        .hasMessageContaining("Node.js (>= 20) is not on the PATH")
        .hasMessageContaining("-Dmpp.node");
  }

  @Test
  void configuredNodeMustBeExecutable() throws IOException {
    Path module = fakeRepoWithoutNodeModules();
    StackEnvironment env =
        StackEnvironment.detect(
            module, map(Map.of()), map(Map.of("mpp.node", repo.resolve("no-node").toString())));

    assertThatThrownBy(env::nodeExecutable)
        .isInstanceOf(StackUnavailableException.class)
        .hasMessageContaining("not executable");
  }

  @Test
  void noRepositoryAboveTheWorkingDirectoryIsReported() {
    assertThatThrownBy(() -> StackEnvironment.detect(repo, map(Map.of()), map(Map.of())))
        .isInstanceOf(StackUnavailableException.class)
        .hasMessageContaining("cannot find the repository root")
        .hasMessageContaining("-Dmpp.repo.root");
  }

  @Test
  void configuredRootWithoutTheServerIsRejected() {
    assertThatThrownBy(
            () ->
                StackEnvironment.detect(
                    repo, map(Map.of("MPP_REPO_ROOT", repo.toString())), map(Map.of())))
        .isInstanceOf(StackUnavailableException.class)
        .hasMessageContaining("MPP_REPO_ROOT points to");
  }
}
