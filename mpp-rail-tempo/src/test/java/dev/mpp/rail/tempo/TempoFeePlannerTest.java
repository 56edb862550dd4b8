package dev.mpp.rail.tempo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.testing.FakeRpcServer;
import dev.mpp.evm.testing.FakeRpcServer.Reply;
import java.io.IOException;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fee caps both Tempo rails sign, under the shared defaults and limits. */
class TempoFeePlannerTest {
  private static final BigInteger GWEI = BigInteger.TEN.pow(9);

  private FakeRpcServer node;
  private JsonRpcClient rpc;

  @BeforeEach
  void start() throws IOException {
    node = new FakeRpcServer(r -> Reply.error(r, -32601, "method not found"));
    rpc = JsonRpcClient.create(node.uri());
  }

  @AfterEach
  void stop() {
    node.close();
  }

  /** The node quotes {@code gasPrice} gwei and suggests {@code priority} gwei. */
  void quote(long gasPrice, long priority) {
    node.script(
        r ->
            switch (r.get("method").asText()) {
              case "eth_gasPrice" ->
                  Reply.result(r, "\"0x" + Long.toHexString(gasPrice * 1_000_000_000L) + "\"");
              case "eth_maxPriorityFeePerGas" ->
                  Reply.result(r, "\"0x" + Long.toHexString(priority * 1_000_000_000L) + "\"");
              default -> Reply.error(r, -32601, "method not found");
            });
  }

  static TempoConfig.Builder config() {
    return TempoConfig.builder(TempoChainConfig.MAINNET).asset(Fixtures.PATH_USD);
  }

  @Test
  void theDefaultBudgetPaysASessionOpenAtTheChainsGoingPrice() {
    quote(21, 1);
    TempoFees fees = new TempoFeePlanner(config().build(), () -> rpc, "tempo").plan(3_000_000);

    assertThat(fees.maxFeePerGas())
        .as("2 × 21 + 1 gwei would exceed 10^17 / 3,000,000 gas")
        .isEqualTo(BigInteger.TEN.pow(17).divide(BigInteger.valueOf(3_000_000)));
    assertThat(fees.maxPriorityFeePerGas()).isEqualTo(GWEI);
  }

  @Test
  void thePriorityFeeIsTheNodesSuggestionWithinItsCap() {
    quote(1, 50);
    TempoFees fees = new TempoFeePlanner(config().build(), () -> rpc, "tempo").plan(50_000);

    assertThat(fees.maxPriorityFeePerGas()).isEqualTo(GWEI.multiply(BigInteger.TEN));
    assertThat(fees.maxFeePerGas()).isEqualTo(GWEI.multiply(BigInteger.valueOf(12)));
  }

  @Test
  void aFixedFeeAboveTheBudgetIsRefusedNotLowered() {
    TempoConfig config =
        config()
            .maxFeePerGas(GWEI.multiply(BigInteger.valueOf(40)))
            .maxPriorityFeePerGas(GWEI)
            .build();

    assertThatThrownBy(
            () -> new TempoFeePlanner(config, () -> null, "tempo session").plan(3_000_000))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED))
        .hasMessage("tempo session: gas × maxFeePerGas exceeds the configured maximum total fee");
    assertThat(
            new TempoFeePlanner(config, () -> null, "tempo session").plan(2_000_000).maxFeePerGas())
        .isEqualTo(GWEI.multiply(BigInteger.valueOf(40)));
  }

  @Test
  void withoutAnEndpointOnlyFixedFeesWork() {
    TempoConfig fixed = config().maxFeePerGas(GWEI).build();
    assertThat(new TempoFeePlanner(fixed, () -> null, "tempo").plan(50_000).maxPriorityFeePerGas())
        .as("no node to suggest a priority fee")
        .isZero();

    assertThatThrownBy(
            () -> new TempoFeePlanner(config().build(), () -> null, "tempo").plan(50_000))
        .isInstanceOf(PaymentFailedException.class)
        .hasMessageContaining("no JSON-RPC endpoint and no fixed maxFeePerGas configured");
  }
}
