package dev.mpp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Challenges;
import dev.mpp.wallet.OfferPreview;
import dev.mpp.wallet.Usd;
import dev.mpp.wallet.Wallet;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mpp inspect}: what a URL asks to be paid, and what the wallet would pay. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Request a URL without paying and print one JSON line per offered challenge:",
      "amount, currency, recipient, expiry, USD price, fee, whether it is payable (and why not),",
      "and \"chosen\":true on the one the wallet would pay."
    })
final class InspectCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;
  @Mixin RequestOptions request;
  @Mixin WalletOptions walletOptions;

  @Override
  public Integer call() throws Exception {
    return run(spec, request, walletOptions, false);
  }

  /** Shared with {@code fetch --dry-run}, whose exit code says whether it would pay. */
  int run(CommandSpec spec, RequestOptions request, WalletOptions options, boolean dryRun)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    HttpResponse<byte[]> response = probe(request);
    if (response.statusCode() != 402) {
      ObjectNode line = JSON.createObjectNode();
      line.put("status", response.statusCode());
      line.put("paymentRequired", false);
      out.println(JSON.writeValueAsString(line));
      out.flush();
      return response.statusCode() >= 400 ? ExitCodes.HTTP_ERROR : ExitCodes.OK;
    }
    Challenges challenges = Challenge.parseAll(response.headers().allValues("WWW-Authenticate"));
    boolean chosen = false;
    boolean denied = false;
    try (Wallet wallet = options.open(false)) {
      PaymentContext context =
          new PaymentContext(
              request.url(), request.method(), options.agent, request.body(), true, null);
      List<Challenge> live = new ArrayList<>();
      Instant now = Instant.now();
      for (Challenge challenge : challenges.valid()) {
        if (challenge.isExpired(now, Duration.ofSeconds(5))) {
          ObjectNode line = describe(challenge);
          line.put("payable", false);
          line.put("reason", "challenge expired");
          out.println(JSON.writeValueAsString(line));
        } else {
          live.add(challenge);
        }
      }
      for (OfferPreview preview : wallet.preview(context, live)) {
        ObjectNode line = describe(preview.challenge());
        if (preview.usdMicros() != null) {
          line.put("usd", Usd.format(preview.usdMicros()));
        }
        if (preview.feeUsdMicros() != null) {
          line.put("feeUsd", Usd.format(preview.feeUsdMicros()));
        }
        if (preview.fee() != null) {
          line.put("fee", preview.fee().units().toString());
        }
        line.put("payable", preview.status() == OfferPreview.Status.PAYABLE);
        if (preview.status() != OfferPreview.Status.PAYABLE) {
          line.put("status", preview.status().name().toLowerCase());
          preview.why().ifPresent(why -> line.put("reason", why));
        }
        if (preview.chosen()) {
          line.put("chosen", true);
          chosen = true;
        }
        denied |= preview.status() == OfferPreview.Status.DENIED;
        out.println(JSON.writeValueAsString(line));
      }
    } finally {
      options.closeSessions();
    }
    for (Challenges.Invalid invalid : challenges.invalid()) {
      out.println(JSON.writeValueAsString(DecodeCommand.error(invalid.error())));
    }
    out.flush();
    if (!dryRun || chosen) {
      return ExitCodes.OK;
    }
    return denied ? ExitCodes.POLICY_REFUSED : ExitCodes.NO_PAYABLE_OFFER;
  }

  private static ObjectNode describe(Challenge challenge) {
    ObjectNode line = JSON.createObjectNode();
    line.put("id", challenge.id());
    line.put("method", challenge.method());
    line.put("intent", challenge.intent());
    challenge.request().amount().ifPresent(a -> line.put("amount", a.toString()));
    challenge.request().currency().ifPresent(c -> line.put("currency", c));
    challenge.request().recipient().ifPresent(r -> line.put("recipient", r));
    challenge.expiresRaw().ifPresent(e -> line.put("expires", e));
    return line;
  }

  private static HttpResponse<byte[]> probe(RequestOptions request) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
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
    return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
