package dev.mpp.wallet.testing;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import java.math.BigInteger;
import java.time.Instant;

/** Payment records for ledger tests. */
public final class TestRecords {
  public static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123456789Z");

  private TestRecords() {}

  /** A HELD tempo payment of {@code usdMicros} (and as many base units of a 6-decimal token). */
  public static PaymentRecord held(
      String id, String agent, String fleet, long usdMicros, Instant at) {
    return new PaymentRecord(
        id,
        agent,
        fleet,
        at,
        at,
        "https://api.example.test/v1/items?q=" + id,
        "https://api.example.test:443",
        "api.example.test",
        "tempo",
        "charge",
        "ch-" + id,
        BigInteger.valueOf(usdMicros),
        "0x20C0000000000000000000000000000000000001",
        4217L,
        6,
        usdMicros,
        17,
        PaymentState.HELD,
        null,
        null,
        "cheapest of 2 offers; stripe fee 0.30 usd",
        null);
  }

  /** A HELD payment of {@code units} base units of an asset given by method/currency/chain. */
  public static PaymentRecord heldAsset(
      String id,
      String agent,
      String fleet,
      String method,
      String currency,
      Long chainId,
      int decimals,
      BigInteger units,
      long usdMicros,
      Instant at) {
    return new PaymentRecord(
        id,
        agent,
        fleet,
        at,
        at,
        null,
        null,
        null,
        method,
        "charge",
        "ch-" + id,
        units,
        currency,
        chainId,
        decimals,
        usdMicros,
        0,
        PaymentState.HELD,
        null,
        null,
        null,
        null);
  }
}
