package dev.mpp.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One client process of the end-to-end benchmark ({@link JavaClientDriver} or {@code
 * mppx-client.mjs}): sends it a command line, reads its one-line JSON answer. Its stderr goes to
 * ours.
 */
final class Driver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Process process;
  private final BufferedReader out;
  private final Writer in;

  private Driver(String name, Process process) {
    this.name = name;
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  /** Starts {@code command} (with extra environment) and waits for its ready line. */
  static Driver start(String name, List<String> command, Map<String, String> environment)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(environment);
    Process process = builder.start();
    Driver driver = new Driver(name, process);
    JsonNode ready = driver.read();
    if (!ready.path("ready").asBoolean()) {
      driver.close();
      throw new IllegalStateException(name + " did not start: " + ready);
    }
    return driver;
  }

  String name() {
    return name;
  }

  /** Sends one command and returns its answer; fails if the answer reports failed calls. */
  JsonNode send(String command) throws IOException {
    in.write(command + "\n");
    in.flush();
    JsonNode answer = read();
    if (answer.path("errors").asInt() > 0) {
      // Figures of a run with failed calls measure the failures: refuse them.
      throw new IllegalStateException(
          name
              + " '"
              + command
              + "': "
              + answer.path("errors").asInt()
              + " failed calls, first: "
              + answer.path("firstError"));
    }
    return answer;
  }

  private JsonNode read() throws IOException {
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("{")) {
        return JSON.readTree(line);
      }
    }
    throw new IllegalStateException(name + " exited (status " + exitStatus() + ")");
  }

  private String exitStatus() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  @Override
  public void close() {
    try {
      in.write("quit\n");
      in.flush();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
