package dev.mpp.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.testkit.stack.TransactionReceipt;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads what the local chain says happened: balances, receipts, transfers, fees. */
final class Chain {
  /** keccak256("Transfer(address,address,uint256)"). */
  static final String TRANSFER_TOPIC =
      "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

  private static final BigInteger ATTO_PER_MICRO = BigInteger.TEN.pow(12);

  private final LocalChain chain;

  Chain(LocalChain chain) {
    this.chain = chain;
  }

  BigInteger balance(String token, String account) {
    return chain.balanceOf(token, account);
  }

  /** The receipt of a mined transaction (waits briefly: a server may answer as it is mined). */
  TransactionReceipt receipt(String hash) {
    return chain.waitForReceipt(hash, Duration.ofSeconds(10));
  }

  /**
   * What the sender of a Tempo transaction paid in fees, in base units of its 6-decimal fee token:
   * gas is priced in attodollars (10^-18 USD) and the fee token is charged the amount rounded up.
   */
  static BigInteger tempoFee(TransactionReceipt receipt) {
    BigInteger gasUsed = quantity(receipt.raw().get("gasUsed"));
    BigInteger price = quantity(receipt.raw().get("effectiveGasPrice"));
    BigInteger[] fee = gasUsed.multiply(price).divideAndRemainder(ATTO_PER_MICRO);
    return fee[1].signum() == 0 ? fee[0] : fee[0].add(BigInteger.ONE);
  }

  /** The ERC-20/TIP-20 {@code Transfer} events of {@code token} in the receipt. */
  static List<Transfer> transfers(TransactionReceipt receipt, String token) {
    List<Transfer> transfers = new ArrayList<>();
    for (JsonNode log : receipt.raw().path("logs")) {
      JsonNode topics = log.path("topics");
      if (log.path("address").asText().equalsIgnoreCase(token)
          && topics.size() == 3
          && topics.get(0).asText().equalsIgnoreCase(TRANSFER_TOPIC)) {
        transfers.add(
            new Transfer(
                address(topics.get(1).asText()),
                address(topics.get(2).asText()),
                quantity(log.path("data"))));
      }
    }
    return transfers;
  }

  private static String address(String topic) {
    return "0x" + topic.substring(topic.length() - 40).toLowerCase(Locale.ROOT);
  }

  private static BigInteger quantity(JsonNode hex) {
    String text = hex.asText();
    return text.equals("0x") ? BigInteger.ZERO : new BigInteger(text.substring(2), 16);
  }

  /** One token transfer; addresses in lower case. */
  record Transfer(String from, String to, BigInteger value) {
    static Transfer of(String from, String to, long value) {
      return new Transfer(
          from.toLowerCase(Locale.ROOT), to.toLowerCase(Locale.ROOT), BigInteger.valueOf(value));
    }
  }
}
