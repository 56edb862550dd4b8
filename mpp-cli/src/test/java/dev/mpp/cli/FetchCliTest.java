package dev.mpp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.LocalStackExtension;
import dev.mpp.testkit.stack.ServerRoute;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar against the local anvil + mppx stack, as a user would. */
@ExtendWith(LocalStackExtension.class)
class FetchCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DevAccount PAYER = DevAccount.get(5);

  @TempDir Path dir;

  private static Map<String, String> keyEnv() {
    return Map.of("MPP_PRIVATE_KEY", PAYER.privateKeyHex());
  }

  private List<String> walletArgs(LocalStack stack, Path wallet, String... more) {
    List<String> args = new ArrayList<>(List.of("--wallet", wallet.toString()));
    args.addAll(List.of("--chain-id", "1337", "--rpc-url", stack.rpcUrl().toString()));
    args.addAll(List.of(more));
    return args;
  }

  private static String[] cmd(String command, String url, List<String> args) {
    List<String> all = new ArrayList<>(List.of(command, url));
    all.addAll(args);
    return all.toArray(String[]::new);
  }

  @Test
  void paysTempoWithBothClientsThenStopsAtTheCap(LocalStack stack) throws Exception {
    Path wallet = dir.resolve("wallet.db");
    String url = stack.url(ServerRoute.TEMPO_CHARGE).toString();
    String recipient = stack.server().recipient();
    BigInteger before = stack.chain().balanceOf(LocalChain.PATH_USD, recipient);

    CliProcess.Result okhttp =
        CliProcess.run(
            "", keyEnv(), cmd("fetch", url, walletArgs(stack, wallet, "--max-total", "0.025usd")));
    CliProcess.Result jdk =
        CliProcess.run(
            "", keyEnv(), cmd("fetch", url, walletArgs(stack, wallet, "--http-client", "jdk")));

    for (CliProcess.Result result : List.of(okhttp, jdk)) {
      assertThat(result.exit()).as(result.stderr()).isZero();
      assertThat(result.stdout()).contains("\"route\":\"/tempo/charge\"");
      JsonNode line = JSON.readTree(result.stderr().strip());
      assertThat(line.get("paid").asBoolean()).isTrue();
      assertThat(line.get("method").asText()).isEqualTo("tempo");
      assertThat(line.get("amount").asText()).isEqualTo("10000");
      assertThat(line.get("usd").asText()).isEqualTo("0.01");
      assertThat(line.get("reference").asText()).startsWith("0x").hasSize(66);
      assertThat(line.get("status").asInt()).isEqualTo(200);
    }
    assertThat(stack.chain().balanceOf(LocalChain.PATH_USD, recipient).subtract(before))
        .isEqualTo(BigInteger.valueOf(20_000));

    // 0.02 of 0.025 spent: the next 0.01 payment would exceed the remembered all-time cap.
    CliProcess.Result denied =
        CliProcess.run("", keyEnv(), cmd("fetch", url, walletArgs(stack, wallet)));
    assertThat(denied.exit()).isEqualTo(75);
    JsonNode line = JSON.readTree(denied.stderr().strip());
    assertThat(line.get("paid").asBoolean()).isFalse();
    assertThat(line.get("code").asText()).isEqualTo("POLICY_DENIED");
    assertThat(stack.chain().balanceOf(LocalChain.PATH_USD, recipient).subtract(before))
        .isEqualTo(BigInteger.valueOf(20_000));

    CliProcess.Result ledger =
        CliProcess.run("", Map.of(), "ledger", "--wallet", wallet.toString());
    assertThat(ledger.exit()).isZero();
    List<String> records = ledger.stdout().strip().lines().toList();
    assertThat(records).hasSize(2);
    for (String record : records) {
      JsonNode json = JSON.readTree(record);
      assertThat(json.get("state").asText()).isEqualTo("PAID");
      assertThat(json.get("amount").asText()).isEqualTo("10000");
    }

    CliProcess.Result budget =
        CliProcess.run("", Map.of(), "budget", "--wallet", wallet.toString());
    assertThat(budget.exit()).isZero();
    JsonNode cap = JSON.readTree(budget.stdout().strip().lines().findFirst().orElseThrow());
    assertThat(cap.get("limit").asText()).isEqualTo("0.025");
    assertThat(cap.get("spent").asText()).isEqualTo("0.02");
    assertThat(cap.get("remaining").asText()).isEqualTo("0.005");

    CliProcess.Result csv =
        CliProcess.run("", Map.of(), "ledger", "--wallet", wallet.toString(), "--format", "csv");
    assertThat(csv.stdout().strip().lines()).hasSize(3);
  }

  @Test
  void inspectMarksTheCheapestOfferChosenAndPaysNothing(LocalStack stack) throws Exception {
    Path wallet = dir.resolve("inspect.db");
    CliProcess.Result result =
        CliProcess.run(
            "",
            keyEnv(),
            cmd("inspect", stack.url(ServerRoute.MULTI).toString(), walletArgs(stack, wallet)));

    assertThat(result.exit()).as(result.stderr()).isZero();
    List<JsonNode> offers = new ArrayList<>();
    for (String line : result.stdout().strip().lines().toList()) {
      offers.add(JSON.readTree(line));
    }
    assertThat(offers).hasSize(3);
    assertThat(offers.get(0).get("amount").asText()).isEqualTo("30000");
    assertThat(offers.get(0).has("chosen")).isFalse();
    assertThat(offers.get(1).get("amount").asText()).isEqualTo("25000");
    assertThat(offers.get(1).get("chosen").asBoolean()).isTrue();
    assertThat(offers.get(2).get("method").asText()).isEqualTo("test");
    assertThat(offers.get(2).get("payable").asBoolean()).isFalse();
    assertThat(
            Files.exists(wallet)
                ? CliProcess.run("", Map.of(), "ledger", "--wallet", wallet.toString()).stdout()
                : "")
        .isBlank();
  }

  @Test
  void configurationErrorsExitTwoWithOneLineAndNoSecrets(LocalStack stack) throws Exception {
    String url = stack.url(ServerRoute.TEMPO_CHARGE).toString();
    Path wallet = dir.resolve("bad.db");

    CliProcess.Result noKey =
        CliProcess.run("", Map.of(), cmd("fetch", url, walletArgs(stack, wallet)));
    assertThat(noKey.exit()).isEqualTo(2);
    assertThat(noKey.stderr().strip().lines()).hasSize(1);
    assertThat(noKey.stderr()).contains("MPP_PRIVATE_KEY").doesNotContain("Exception");

    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"agents\": {\"default\": {\"maxPerPayment\": \"-1\"}}");
    CliProcess.Result badPolicy =
        CliProcess.run(
            "",
            keyEnv(),
            cmd(
                "fetch",
                url,
                walletArgs(stack, wallet, "--policy", policy.toString(), "--verbose")));
    assertThat(badPolicy.exit()).isEqualTo(2);
    assertThat(badPolicy.stderr().strip().lines()).hasSize(1);
    assertThat(badPolicy.stderr()).contains("policy");

    CliProcess.Result badAmount =
        CliProcess.run(
            "", keyEnv(), cmd("fetch", url, walletArgs(stack, wallet, "--max-total", "5eur")));
    assertThat(badAmount.exit()).isEqualTo(2);

    String key = PAYER.privateKeyHex().replaceFirst("^0x", "");
    for (CliProcess.Result result : List.of(noKey, badPolicy, badAmount)) {
      assertThat(result.stdout() + result.stderr()).doesNotContainIgnoringCase(key);
    }
  }

  @Test
  void verboseSuccessfulPaymentNeverPrintsTheKeyOrCredential(LocalStack stack) throws Exception {
    Path wallet = dir.resolve("verbose.db");
    CliProcess.Result result =
        CliProcess.run(
            "",
            keyEnv(),
            cmd(
                "fetch",
                stack.url(ServerRoute.TEMPO_CHARGE).toString(),
                walletArgs(stack, wallet, "--verbose", "-i")));

    assertThat(result.exit()).as(result.stderr()).isZero();
    assertThat(result.stdout()).startsWith("HTTP/1.1 200").contains("payment-receipt");
    String all = result.stdout() + result.stderr();
    assertThat(all).doesNotContainIgnoringCase(PAYER.privateKeyHex().replaceFirst("^0x", ""));
    assertThat(all).doesNotContain("Payment eyJ");
  }
}
