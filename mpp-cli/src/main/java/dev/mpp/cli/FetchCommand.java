package dev.mpp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentOutcomeUnknownException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.jdk.MppHttpClient;
import dev.mpp.okhttp.MppIOException;
import dev.mpp.okhttp.MppInterceptor;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.LedgerExport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mpp fetch}: curl for paid URLs. */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch a URL, paying a 402 Payment Required from the wallet within its policy.",
      "The body goes to stdout; one JSON line about the payment goes to stderr (unless -s)."
    })
final class FetchCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;
  @Mixin RequestOptions request;
  @Mixin WalletOptions walletOptions;

  @Option(
      names = {"-i", "--include"},
      description = "Print the status line and headers first.")
  boolean include;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the body to FILE.")
  Path output;

  @Option(
      names = {"-s", "--silent"},
      description = "No payment line on stderr.")
  boolean silent;

  @Option(names = "--dry-run", description = "Show what would be paid, without paying.")
  boolean dryRun;

  @Option(
      names = "--receipt-out",
      paramLabel = "FILE",
      description = "Write the payment record as one JSON object.")
  Path receiptOut;

  /** The response, reduced to what the command prints. */
  private record Fetched(
      int status, String statusLine, Map<String, List<String>> headers, byte[] body) {}

  @Override
  public Integer call() throws Exception {
    if (dryRun) {
      return new InspectCommand().run(spec, request, walletOptions, true);
    }
    try (Wallet wallet = walletOptions.open(true)) {
      return fetch(wallet);
    } finally {
      walletOptions.closeSessions();
    }
  }

  private int fetch(Wallet wallet) throws Exception {
    Fetched fetched;
    Optional<PaymentRecord> record;
    try {
      if (request.client == RequestOptions.Client.okhttp) {
        var result = viaOkHttp(wallet);
        fetched = result.fetched;
        record = result.record;
      } else {
        var result = viaJdk(wallet);
        fetched = result.fetched;
        record = result.record;
      }
    } catch (MppException e) {
      reportFailure(e);
      return ExitCodes.of(e.code());
    }
    write(fetched);
    report(fetched.status, record);
    if (fetched.status >= 400) {
      return ExitCodes.HTTP_ERROR;
    }
    return ExitCodes.OK;
  }

  private record Outcome(Fetched fetched, Optional<PaymentRecord> record) {}

  private Outcome viaOkHttp(Wallet wallet) throws IOException {
    MppInterceptor interceptor =
        MppInterceptor.builder(wallet)
            .agent(walletOptions.agent)
            .allowInsecureHttp(request.insecureAllowHttp)
            .build();
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addInterceptor(interceptor)
            .callTimeout(Duration.ofMinutes(2))
            .build();
    byte[] body = request.body();
    Request.Builder builder = new Request.Builder().url(request.url().toString());
    request.headers().forEach(builder::header);
    String contentType = request.headers().getOrDefault("Content-Type", "application/json");
    builder.method(
        request.method(),
        body == null ? null : RequestBody.create(body, MediaType.parse(contentType)));
    try (Response response = client.newCall(builder.build()).execute()) {
      String line = response.protocol().toString().toUpperCase() + " " + response.code();
      Fetched fetched =
          new Fetched(
              response.code(),
              line + (response.message().isEmpty() ? "" : " " + response.message()),
              response.headers().toMultimap(),
              response.body().bytes());
      return new Outcome(fetched, MppInterceptor.paymentRecord(response));
    } catch (MppIOException e) {
      throw e.error();
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  private Outcome viaJdk(Wallet wallet) throws IOException, InterruptedException {
    HttpClient delegate =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    MppHttpClient client =
        MppHttpClient.builder(delegate, wallet)
            .agent(walletOptions.agent)
            .allowInsecureHttp(request.insecureAllowHttp)
            .build();
    byte[] body = request.body();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(request.url())
            .method(
                request.method(),
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    request.headers().forEach(builder::header);
    if (body != null && !request.headers().containsKey("Content-Type")) {
      builder.header("Content-Type", "application/json");
    }
    HttpResponse<byte[]> response =
        client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    String version = response.version() == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1";
    Fetched fetched =
        new Fetched(
            response.statusCode(),
            version + " " + response.statusCode(),
            response.headers().map(),
            response.body());
    return new Outcome(fetched, MppHttpClient.paymentRecord(response));
  }

  private void write(Fetched fetched) throws IOException {
    OutputStream out = output == null ? System.out : Files.newOutputStream(output);
    try {
      if (include) {
        StringBuilder head = new StringBuilder(fetched.statusLine).append("\r\n");
        fetched.headers.forEach(
            (name, values) ->
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
        head.append("\r\n");
        out.write(head.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      out.write(fetched.body);
      out.flush();
    } finally {
      if (output != null) {
        out.close();
      }
    }
  }

  private void report(int status, Optional<PaymentRecord> record) throws IOException {
    ObjectNode line = JSON.createObjectNode();
    if (record.isPresent() && record.get().state() == PaymentState.PAID) {
      PaymentRecord r = record.get();
      line.put("paid", true);
      describe(line, r);
    } else {
      line.put("paid", false);
      record.ifPresent(r -> describe(line, r));
      line.put(
          "reason",
          record
              .map(r -> r.detail() != null ? r.detail() : r.state().name().toLowerCase())
              .orElse(status == 402 ? "payment required but not paid" : "no payment required"));
    }
    line.put("status", status);
    printLine(line);
    if (receiptOut != null && record.isPresent()) {
      Files.writeString(receiptOut, JSON.writeValueAsString(LedgerExport.toJson(record.get())));
    }
  }

  private static void describe(ObjectNode line, PaymentRecord r) {
    line.put("method", r.method());
    line.put("intent", r.intent());
    line.put("amount", r.amount().toString());
    line.put("currency", r.currency());
    line.put("usd", r.usd().stripTrailingZeros().toPlainString());
    if (r.reference() != null) {
      line.put("reference", r.reference());
    }
    line.put("challengeId", r.challengeId());
    line.put("state", r.state().name().toLowerCase());
  }

  private void reportFailure(MppException e) throws IOException {
    ObjectNode line = JSON.createObjectNode();
    line.put("paid", false);
    line.put("reason", e.getMessage());
    line.put("code", e.code().name());
    if (e instanceof PaymentOutcomeUnknownException unknown) {
      unknown.record().ifPresent(r -> describe(line, r));
      if (receiptOut != null && unknown.record().isPresent()) {
        Files.writeString(
            receiptOut, JSON.writeValueAsString(LedgerExport.toJson(unknown.record().get())));
      }
    }
    printLine(line);
  }

  private void printLine(ObjectNode line) throws IOException {
    if (silent) {
      return;
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println(JSON.writeValueAsString(line));
    err.flush();
  }
}
