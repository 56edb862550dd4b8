package dev.mpp.testkit.tempo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.testkit.stack.LocalChain;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** Builds Tempo charge challenges for paying straight onto the local chain (no server). */
final class TempoChallenges {

  private static final AtomicLong IDS = new AtomicLong();

  private final ObjectNode request = JsonNodeFactory.instance.objectNode();

  private TempoChallenges(BigInteger amount, EvmAddress recipient) {
    request.put("amount", amount.toString());
    request.put("currency", LocalChain.PATH_USD);
    request.put("recipient", recipient.toChecksumHex());
    request.putObject("methodDetails").put("chainId", LocalChain.CHAIN_ID);
  }

  static TempoChallenges charge(BigInteger amount, EvmAddress recipient) {
    return new TempoChallenges(amount, recipient);
  }

  TempoChallenges split(BigInteger amount, EvmAddress recipient, String memo) {
    ObjectNode details = (ObjectNode) request.get("methodDetails");
    ArrayNode splits =
        details.has("splits") ? (ArrayNode) details.get("splits") : details.putArray("splits");
    ObjectNode split = splits.addObject();
    split.put("amount", amount.toString()).put("recipient", recipient.toChecksumHex());
    if (memo != null) {
      split.put("memo", memo);
    }
    return this;
  }

  Challenge challenge() {
    return Challenge.builder()
        .id("local-" + IDS.incrementAndGet() + "-" + System.nanoTime())
        .realm("tempo-rail-test")
        .method("tempo")
        .intent("charge")
        .request(PaymentRequest.of(request).raw())
        .expires(Instant.now().plusSeconds(120))
        .build();
  }

  /** A fresh address nobody else pays, so its balance delta is exactly what a test sent. */
  static EvmAddress freshAddress(Random random) {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    bytes[0] = (byte) 0xee; // keep clear of precompiles and token addresses
    return EvmAddress.of(bytes);
  }
}
