package dev.mpp.rail.lightning.bolt11;

import static dev.mpp.rail.lightning.bolt11.Bolt11SpecVectorsTest.BEANS;
import static dev.mpp.rail.lightning.bolt11.Bolt11SpecVectorsTest.COFFEE;
import static dev.mpp.rail.lightning.bolt11.Bolt11SpecVectorsTest.DONATION;
import static dev.mpp.rail.lightning.bolt11.Bolt11SpecVectorsTest.HASHED;
import static dev.mpp.rail.lightning.bolt11.Bolt11SpecVectorsTest.NONSENSE;
import static dev.mpp.rail.lightning.bolt11.Bolt11SpecVectorsTest.PICO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Bolt11EncoderTest {
  /** The key every BOLT #11 example is signed with. */
  private static final BigInteger SPEC_KEY =
      new BigInteger("e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734", 16);

  private final Bolt11Decoder decoder = Bolt11Decoder.standard();

  /** Re-encoding a spec example from its decoded fields reproduces it byte for byte (RFC 6979). */
  @ParameterizedTest
  @ValueSource(strings = {DONATION, COFFEE, NONSENSE, HASHED, PICO, BEANS})
  void reEncodingSpecExamplesReproducesThem(String invoice) {
    Bolt11Invoice d = decoder.decode(invoice);
    Bolt11Encoder e =
        Bolt11Encoder.builder()
            .network(d.network())
            .timestamp(d.timestamp())
            .paymentHash(d.paymentHash());
    d.amountMsat().ifPresent(e::amountMsat);
    d.description().ifPresent(e::description);
    d.descriptionHash().ifPresent(e::descriptionHash);
    d.paymentSecret().ifPresent(e::paymentSecret);
    if (d.expirySeconds() != Bolt11Invoice.DEFAULT_EXPIRY_SECONDS) {
      e.expirySeconds(d.expirySeconds());
    }
    if (d.minFinalCltvExpiry() != Bolt11Invoice.DEFAULT_MIN_FINAL_CLTV_EXPIRY) {
      e.minFinalCltvExpiry(d.minFinalCltvExpiry());
    }
    d.routes().forEach(e::route);
    if (!d.features().bits().isEmpty()) {
      e.features(d.features());
    }
    assertThat(e.sign(SPEC_KEY)).isEqualTo(invoice);
  }

  @Test
  void roundTripWithPayeeFieldAndMetadata() {
    String invoice =
        Bolt11Encoder.builder()
            .network(Network.REGTEST)
            .amountMsat(1_234)
            .timestamp(Instant.ofEpochSecond(1_700_000_000))
            .paymentHash("ab".repeat(32))
            .description("api call")
            .includePayee()
            .metadata("01fe")
            .features(new Features(Set.of(9, 15, 17)))
            .sign(SPEC_KEY);
    assertThat(invoice).startsWith("lnbcrt12340p1");
    Bolt11Invoice d = decoder.decode(invoice);
    assertThat(d.network()).isEqualTo(Network.REGTEST);
    assertThat(d.amountMsat()).hasValue(1_234);
    assertThat(d.metadata()).contains("01fe");
    assertThat(d.payee()).isEqualTo(Bolt11SpecVectorsTest.PAYEE);
  }

  @Test
  void aPayeeFieldThatDoesNotMatchTheSignatureIsRejected() {
    BigInteger otherKey = SPEC_KEY.add(BigInteger.ONE);
    String honest =
        Bolt11Encoder.builder()
            .network(Network.SIGNET)
            .timestamp(Instant.ofEpochSecond(1_700_000_000))
            .paymentHash("cd".repeat(32))
            .description("x")
            .includePayee()
            .sign(otherKey);
    // Swap in the spec key's n field but keep the other key's signature: recomputed checksum.
    Bech32.Decoded parts = Bech32.decode(honest);
    int[] data = parts.data().clone();
    int[] specPayee =
        Bech32.fromBytes(java.util.HexFormat.of().parseHex(Bolt11SpecVectorsTest.PAYEE));
    int start = indexOfPayeeField(data) + 3;
    System.arraycopy(specPayee, 0, data, start, specPayee.length);
    String forged = Bech32.encode(parts.hrp(), data);
    assertThatThrownBy(() -> decoder.decode(forged))
        .isInstanceOf(Bolt11Exception.class)
        .hasMessageContaining("signature");
  }

  @Test
  void amountsUseTheShortestMultiplier() {
    assertThat(Amounts.format(100_000_000_000L)).isEqualTo("1");
    assertThat(Amounts.format(250_000_000L)).isEqualTo("2500u");
    assertThat(Amounts.format(2_000_000_000L)).isEqualTo("20m");
    assertThat(Amounts.format(1_000L)).isEqualTo("10n");
    assertThat(Amounts.format(1L)).isEqualTo("10p");
    assertThat(Amounts.parseMsat("10p")).hasValue(1);
    assertThatThrownBy(() -> Amounts.parseMsat("0100u")).isInstanceOf(Bolt11Exception.class);
    assertThatThrownBy(() -> Amounts.parseMsat("21000001")).isInstanceOf(Bolt11Exception.class);
  }

  @Test
  void setterRulesAreEnforcedAtOnce() {
    Bolt11Encoder e = Bolt11Encoder.builder().network(Network.MAINNET);
    assertThatThrownBy(() -> e.network(Network.REGTEST)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> e.paymentHash("00")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> e.amountMsat(0)).isInstanceOf(IllegalArgumentException.class);
    e.timestamp(Instant.ofEpochSecond(1)).paymentHash("00".repeat(32));
    assertThatThrownBy(() -> e.sign(SPEC_KEY))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("description");
  }

  private static int indexOfPayeeField(int[] data) {
    int pos = 7;
    while (data[pos] != TaggedField.PAYEE) {
      pos += 3 + data[pos + 1] * 32 + data[pos + 2];
    }
    return pos;
  }
}
