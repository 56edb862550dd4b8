package dev.mpp.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code mpp-cli.jar} as a subprocess, as a user would. */
final class CliProcess {
  record Result(int exit, String stdout, String stderr) {}

  private CliProcess() {}

  static Result run(String stdin, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    String jar = System.getProperty("mpp.cli.jar", "target/mpp-cli.jar");
    if (!Files.exists(Path.of(jar))) {
      throw new IllegalStateException("CLI jar not built: " + jar);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("MPP_PRIVATE_KEY");
    builder.environment().remove("MPP_STRIPE_SECRET_KEY");
    builder.environment().putAll(env);
    Path out = Files.createTempFile("mpp-cli", ".out");
    Path err = Files.createTempFile("mpp-cli", ".err");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("mpp did not exit within 120 s");
    }
    Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return result;
  }
}
