package dev.mpp.testkit.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference server's request log (one JSON line per request) from a point on: what the server
 * actually saw, e.g. how many round trips a paid request took.
 */
final class ServerLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final long offset;

  private ServerLog(Path file, long offset) {
    this.file = file;
    this.offset = offset;
  }

  /** The log from its current end on. */
  static ServerLog from(Path file) throws IOException {
    return new ServerLog(file, Files.size(file));
  }

  /**
   * The statuses of requests to {@code path} since this point, once at least {@code expected} are
   * logged (the server logs when a response finishes, which may trail the client by a moment).
   */
  List<Integer> statusesSince(String path, int expected) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      List<Integer> statuses = new ArrayList<>();
      byte[] bytes = Files.readAllBytes(file);
      String text =
          new String(bytes, (int) offset, bytes.length - (int) offset, StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (!line.startsWith("{")) {
          continue;
        }
        JsonNode entry = JSON.readTree(line);
        String logged = entry.path("path").asText();
        if (logged.equals(path) || logged.startsWith(path + "?")) {
          statuses.add(entry.path("status").asInt());
        }
      }
      if (statuses.size() >= expected || System.nanoTime() > deadline) {
        return statuses;
      }
      Thread.sleep(50);
    }
  }
}
