package dev.mpp.bench.startup;

import com.sun.net.httpserver.HttpServer;
import dev.mpp.bench.Machine;
import dev.mpp.bench.RepoRoot;
import dev.mpp.bench.Report;
import dev.mpp.bench.Stats;
import dev.mpp.bench.TempFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Start-up of the runnable CLIs on a free URL: {@code bin/mpp fetch <url>} (our jar, run as users
 * run it) against {@code mppx <url>} (mppx 0.11.0's CLI from {@code
 * examples/mpp-server/node_modules/.bin}). A loopback server notes when the first request arrives:
 * <em>time to first request</em> is from spawning the process to that arrival; <em>time to exit
 * </em> is to the process's end. Runs alternate between the two tools.
 *
 * <p>Settings: {@code -Dbench.startup.runs=10}.
 */
public final class StartupBenchmark {

  private static final String DEV_KEY =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  private StartupBenchmark() {}

  /** Measures and reports. */
  public static void run(boolean smoke, Report report) throws IOException, InterruptedException {
    int runs = Integer.getInteger("bench.startup.runs", smoke ? 1 : 10);
    Path root = RepoRoot.find();
    Path mpp = root.resolve("bin/mpp");
    Path mppx = RepoRoot.serverDir().resolve("node_modules/.bin/mppx");
    for (Path tool : List.of(mpp, root.resolve("mpp-cli/target/mpp-cli.jar"), mppx)) {
      if (!Files.exists(tool)) {
        throw new IllegalStateException(
            tool
                + " is missing: build the CLI (mvn -B -ntp -pl mpp-cli -am package -DskipTests)"
                + " and install the reference server (bash examples/mpp-server/ci-setup.sh)");
      }
    }
    report.line("== 4b. CLI start-up to first request, free URL");
    report.line(Machine.describe());
    AtomicLong firstArrival = new AtomicLong();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/free",
        exchange -> {
          firstArrival.compareAndSet(0, System.nanoTime());
          byte[] body = "{\"ok\":true,\"route\":\"/free\"}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    // A ledger of its own instead of ~/.mpp/wallet.db; created by the first run, as for a user.
    Path ledger = TempFiles.directory("mpp-startup-bench");
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      String url = base + "/free";
      Map<String, List<String>> tools = new LinkedHashMap<>();
      tools.put(
          "mpp fetch (Java)",
          List.of(
              mpp.toString(),
              "fetch",
              "--wallet",
              ledger.resolve("wallet.db").toString(),
              // Required with a key; a free URL never reaches the node (a request would 404 here).
              "--chain-id",
              "4217",
              "--rpc-url",
              base + "/rpc",
              url));
      tools.put("mppx (Node)", List.of(mppx.toString(), url, "-s"));
      Map<String, List<double[]>> results = new LinkedHashMap<>();
      tools.keySet().forEach(name -> results.put(name, new ArrayList<>()));
      for (int run = 0; run < runs; run++) {
        for (Map.Entry<String, List<String>> tool : tools.entrySet()) {
          firstArrival.set(0);
          long start = System.nanoTime();
          ProcessBuilder builder =
              new ProcessBuilder(tool.getValue())
                  .directory(RepoRoot.serverDir().toFile())
                  .redirectErrorStream(true);
          // The Java CLI refuses to start without a payment key; anvil dev account 0 (public).
          builder.environment().put("MPP_PRIVATE_KEY", DEV_KEY);
          builder.environment().remove("MPP_JAVA_OPTS");
          Process process = builder.start();
          String output =
              new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(tool.getKey() + " failed: " + output);
          }
          long end = System.nanoTime();
          if (firstArrival.get() == 0 || !output.contains("\"ok\":true")) {
            throw new IllegalStateException(tool.getKey() + " did not fetch the URL: " + output);
          }
          results
              .get(tool.getKey())
              .add(new double[] {(firstArrival.get() - start) / 1e6, (end - start) / 1e6});
        }
      }
      report.line(
          "tool               to first request ms median (min–max)   to exit ms median (min–max)");
      for (Map.Entry<String, List<double[]>> entry : results.entrySet()) {
        Stats first = Stats.of(entry.getValue().stream().map(r -> r[0]).toList());
        Stats exit = Stats.of(entry.getValue().stream().map(r -> r[1]).toList());
        report.line(
            String.format("%-18s %-37s %s", entry.getKey(), first.format(0), exit.format(0)));
      }
      report.line("load average after: " + Machine.loadAverage());
    } finally {
      server.stop(0);
      TempFiles.delete(ledger);
    }
  }
}
