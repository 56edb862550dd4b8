package dev.mpp.rail.tempo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.signer.PrivateKeySigner;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.rlp.RlpDecoder;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

class TempoTransactionTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final EvmAddress TO =
      EvmAddress.parse("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
  private static final String ANVIL_KEY_0 =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  private static TempoTransaction katTransaction() {
    return TempoTransaction.builder(1).call(TempoCall.of(TO, BigInteger.ZERO, new byte[0])).build();
  }

  private static String hex(byte[] bytes) {
    return "0x" + HEX.formatHex(bytes);
  }

  private static byte[] bytes(String hex) {
    return HEX.parseHex(hex.substring(2));
  }

  @Test
  void unsignedEncodingAndSigningHashMatchKnownAnswers() {
    TempoTransaction tx = katTransaction();

    assertThat(hex(tx.encodeUnsigned()))
        .isEqualTo(
            "0x76e501808080d8d79470997970c51812dc3a010c7d01b50e0d17dc79c88080c0808080808080c0");
    assertThat(hex(tx.signingHash()))
        .isEqualTo("0xe1222a45806457acbe3a13940aae4c34f3180659fa16613b5a45dc183adae07c");
  }

  @Test
  void signedEncodingAndTxHashMatchKnownAnswers() {
    TempoTransaction signed = katTransaction().sign(PrivateKeySigner.of(ANVIL_KEY_0.toCharArray()));

    assertThat(hex(signed.encodeSigned()))
        .isEqualTo(
            "0x76f86801808080d8d79470997970c51812dc3a010c7d01b50e0d17dc79c88080c0808080808080c0"
                + "b8416b37e17bf41d92dfee5ffdce55431bf01dd7875b2229d6258350c5ee6fe6a54225b867dc1b19c9"
                + "ec97833ebdccd830d2846c5b724b72dcd754d694d08b5e80ee1c");
    assertThat(hex(signed.txHash()))
        .isEqualTo("0x04ad27d1607bc3fc37445724d8864b0843f88008bafd818814474e5ee94647eb");
    assertThat(signed.recoverSender())
        .isEqualTo(EvmAddress.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
  }

  @Test
  void sponsoredMarkerMatchesKnownAnswer() {
    TempoTransaction tx = katTransaction().toBuilder().sponsored().build();

    assertThat(hex(tx.encodeUnsigned()))
        .isEqualTo(
            "0x76e501808080d8d79470997970c51812dc3a010c7d01b50e0d17dc79c88080c0808080808000c0");
  }

  @Test
  void decodesKnownAnswersBackToEqualTransactions() {
    TempoTransaction signed = katTransaction().sign(PrivateKeySigner.of(ANVIL_KEY_0.toCharArray()));

    TempoTransaction decoded = TempoTransaction.decode(signed.encodeSigned());

    assertThat(decoded).isEqualTo(signed);
    assertThat(decoded.calls()).containsExactly(TempoCall.of(TO, BigInteger.ZERO, new byte[0]));
    assertThat(decoded.signature()).isEqualTo(signed.signature());
    assertThat(TempoTransaction.decode(katTransaction().encodeUnsigned()).signature()).isEmpty();
    assertThat(
            TempoTransaction.decode(
                    katTransaction().toBuilder().sponsored().build().encodeUnsigned())
                .sponsored())
        .isTrue();
  }

  static IntStream seeds() {
    return IntStream.range(0, 40);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomTransactionsRoundTripAndRecoverTheirSender(int seed) {
    Random random = new Random(seed);
    byte[] key = new byte[32];
    random.nextBytes(key);
    key[0] &= 0x7f; // stay below the curve order
    key[31] |= 1; // never zero
    PrivateKeySigner signer = PrivateKeySigner.of(key);
    TempoTransaction tx = randomTransaction(random).sign(signer);

    TempoTransaction decoded = TempoTransaction.decode(tx.encodeSigned());

    assertThat(decoded).isEqualTo(tx);
    assertThat(decoded.calls()).isEqualTo(tx.calls());
    assertThat(decoded.validBefore()).isEqualTo(tx.validBefore());
    assertThat(decoded.feeToken()).isEqualTo(tx.feeToken());
    assertThat(decoded.recoverSender()).isEqualTo(EvmAddress.parse(signer.address()));
    assertThat(decoded.signature().orElseThrow().s())
        .isLessThanOrEqualTo(
            new BigInteger("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", 16));
  }

  static TempoTransaction randomTransaction(Random random) {
    BigInteger maxFee = new BigInteger(random.nextInt(80), random);
    TempoTransaction.Builder b =
        TempoTransaction.builder(1 + random.nextInt(100_000))
            .maxFeePerGas(maxFee)
            .maxPriorityFeePerGas(new BigInteger(80, random).mod(maxFee.add(BigInteger.ONE)))
            .gas(random.nextInt(3_000_000));
    int calls = 1 + random.nextInt(4);
    for (int i = 0; i < calls; i++) {
      byte[] to = new byte[20];
      random.nextBytes(to);
      byte[] memo = new byte[32];
      random.nextBytes(memo);
      b.call(
          TempoCall.of(
              EvmAddress.of(to),
              BigInteger.ZERO,
              Tip20.transferWithMemo(
                  EvmAddress.of(to),
                  new BigInteger(1 + random.nextInt(200), random),
                  Memo.of(memo))));
    }
    long now = 1_700_000_000L + random.nextInt(100_000_000);
    if (random.nextBoolean()) {
      b.expiringNonce().validBefore(now);
    } else {
      b.nonceKey(new BigInteger(random.nextInt(64), random)).nonce(random.nextInt(1000));
    }
    if (random.nextBoolean()) {
      b.sponsored();
    } else {
      byte[] token = new byte[20];
      random.nextBytes(token);
      b.feeToken(EvmAddress.of(token));
    }
    return b.build();
  }

  @Test
  void rejectsForeignTypeTrailingBytesAndNonCanonicalIntegers() {
    byte[] valid = katTransaction().encodeUnsigned();
    byte[] wrongType = valid.clone();
    wrongType[0] = 0x02;
    byte[] trailing = new byte[valid.length + 1];
    System.arraycopy(valid, 0, trailing, 0, valid.length);
    // chainId 1 written with a leading zero byte (0x8200 01) instead of 0x01.
    byte[] leadingZero =
        bytes(
            "0x76e782000101808080d8d79470997970c51812dc3a010c7d01b50e0d17dc79c88080c0808080808080c0");

    assertThatThrownBy(() -> TempoTransaction.decode(wrongType))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TempoTransaction.decode(trailing))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TempoTransaction.decode(leadingZero))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The KAT transaction's fields with one field replaced, as a full envelope. */
  private static byte[] variant(int index, RlpType replacement) {
    byte[] kat = katTransaction().encodeUnsigned();
    RlpList decoded = RlpDecoder.decode(Arrays.copyOfRange(kat, 1, kat.length));
    List<RlpType> fields = new ArrayList<>(((RlpList) decoded.getValues().get(0)).getValues());
    if (replacement == null) {
      fields.remove(index);
    } else if (index == fields.size()) {
      fields.add(replacement);
    } else {
      fields.set(index, replacement);
    }
    byte[] rlp = RlpEncoder.encode(new RlpList(fields));
    byte[] out = new byte[rlp.length + 1];
    out[0] = 0x76;
    System.arraycopy(rlp, 0, out, 1, rlp.length);
    return out;
  }

  static Stream<Arguments> unsupportedVariants() {
    RlpList accessEntry = new RlpList(RlpString.create(TO.toBytes()), new RlpList());
    return Stream.of(
        Arguments.of("access list", variant(5, new RlpList(accessEntry))),
        Arguments.of("authorization list", variant(12, new RlpList(new RlpList()))),
        Arguments.of("fee payer co-signature", variant(11, new RlpList(RlpString.create(1)))),
        Arguments.of("fee payer slot 0x01", variant(11, RlpString.create(new byte[] {1}))),
        Arguments.of("fee token of 19 bytes", variant(10, RlpString.create(new byte[19]))),
        Arguments.of("twelve fields", variant(12, null)),
        Arguments.of("key authorization", variant(13, new RlpList())),
        Arguments.of("64-byte signature", variant(13, RlpString.create(new byte[64]))),
        Arguments.of(
            "call without input",
            variant(
                4, new RlpList(new RlpList(RlpString.create(TO.toBytes()), RlpString.create(0))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsupportedVariants")
  void rejectsFeaturesItDoesNotModel(String name, byte[] encoded) {
    assertThatThrownBy(() -> TempoTransaction.decode(encoded))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void variantHelperReproducesTheKnownAnswer() {
    assertThat(variant(0, RlpString.create(1))).isEqualTo(katTransaction().encodeUnsigned());
  }

  @Test
  void builderRejectsInconsistentTransactions() {
    TempoCall call = TempoCall.of(TO, BigInteger.ZERO, new byte[0]);

    assertThatThrownBy(() -> TempoTransaction.builder(1).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> TempoTransaction.builder(1).call(call).sponsored().feeToken(TO).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TempoTransaction.builder(1).call(call).expiringNonce().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> TempoTransaction.builder(1).call(call).validAfter(10).validBefore(10).build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                TempoTransaction.builder(1)
                    .call(call)
                    .maxFeePerGas(BigInteger.ONE)
                    .maxPriorityFeePerGas(BigInteger.TWO)
                    .build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> TempoTransaction.builder(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> katTransaction().encodeSigned())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void expiringNonceUsesMaxUint256LaneAndNonceZero() {
    TempoTransaction tx =
        TempoTransaction.builder(4217)
            .call(TempoCall.of(TO, BigInteger.ZERO, new byte[0]))
            .expiringNonce()
            .validBefore(1_800_000_000L)
            .build();

    assertThat(tx.nonceKey()).isEqualTo(BigInteger.TWO.pow(256).subtract(BigInteger.ONE));
    assertThat(tx.nonce()).isZero();
    // nonceKey is a 32-byte string of 0xff: 0xa0 followed by 32 0xff bytes.
    assertThat(hex(tx.encodeUnsigned())).contains("a0" + "ff".repeat(32) + "80" + "846b49d200");
  }
}
