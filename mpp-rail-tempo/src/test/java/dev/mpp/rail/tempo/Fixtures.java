package dev.mpp.rail.tempo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.evm.chain.EvmAddress;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Shared request and challenge fixtures. */
final class Fixtures {

  static final long CHAIN = TempoConfig.TESTNET;
  static final EvmAddress PATH_USD = EvmAddress.parse("0x20c0000000000000000000000000000000000000");
  static final EvmAddress ALPHA_USD =
      EvmAddress.parse("0x20c0000000000000000000000000000000000001");
  static final String RECIPIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  static final String PLATFORM = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
  static final String AFFILIATE = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
  static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** A valid 1.00 pathUSD request on the testnet, as JSON that tests can mutate. */
  static ObjectNode request() {
    return json(
        """
        {"amount":"1000000","currency":"0x20c0000000000000000000000000000000000000",
         "recipient":"%s","methodDetails":{"chainId":42431}}
        """
            .formatted(RECIPIENT));
  }

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode details(ObjectNode request) {
    return (ObjectNode) request.get("methodDetails");
  }

  static Challenge challenge(ObjectNode request) {
    return challenge(request, NOW.plusSeconds(300));
  }

  static Challenge challenge(ObjectNode request, Instant expires) {
    return Challenge.builder()
        .id("kM9xPqWvT2nJrHsY4aDfEb")
        .realm("api.example.com")
        .method("tempo")
        .intent("charge")
        .request(PaymentRequest.of(request).raw())
        .expires(expires)
        .build();
  }

  static TempoConfig.Builder config() {
    return TempoConfig.builder(CHAIN)
        .asset(PATH_USD)
        .gasLimit(300_000)
        .maxFeePerGas(java.math.BigInteger.valueOf(40_000_000_000L))
        .maxPriorityFeePerGas(java.math.BigInteger.ZERO);
  }
}
