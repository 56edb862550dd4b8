package dev.mpp.rail.tempo.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.signer.PrivateKeySigner;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Known answers for channel ids, voucher domains, digests and signatures. The v2 values are the
 * ones published with the session issue; every other value was produced by mppx 0.11.0 (v2) and
 * mppx 0.6.31 (v1) with viem 2.57.13 for the same inputs.
 */
class SessionCryptoTest {

  private static final EvmAddress PAYER = address("11");
  private static final EvmAddress PAYEE = address("22");
  private static final EvmAddress SIGNER = address("33");
  private static final EvmAddress ZERO = address("00");
  private static final EvmAddress TOKEN =
      EvmAddress.parse("0x20c0000000000000000000000000000000000001");
  private static final Bytes32 SALT = Bytes32.parse("0x" + "00".repeat(31) + "01");
  private static final Bytes32 NONCE_HASH = Bytes32.parse("0x" + "00".repeat(31) + "02");
  private static final EvmAddress V1_ESCROW =
      EvmAddress.parse("0x9d136eEa063eDE5418A6BC7bEafF009bBb6CFa70");

  private static EvmAddress address(String byteHex) {
    return EvmAddress.parse("0x" + byteHex.repeat(20));
  }

  private static PrivateKeySigner signer() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 1);
    return PrivateKeySigner.of(key);
  }

  private static ChannelDescriptor v2Descriptor() {
    return ChannelDescriptor.v2(PAYER, PAYEE, ZERO, TOKEN, SALT, SIGNER, NONCE_HASH);
  }

  @Test
  void v2ChannelIdMatchesKnownAnswer() {
    assertThat(v2Descriptor().channelId(SessionProtocol.TIP1034_ESCROW, 4217).toHex())
        .isEqualTo("0xa392474fdbb5c6753e8789236893343f11200f43ba53cca09c0cda3651946ef2");
  }

  @Test
  void v2DomainSeparatorMatchesKnownAnswer() {
    assertThat(
            Voucher.domainSeparator(SessionProtocol.V2, 4217, SessionProtocol.TIP1034_ESCROW)
                .toHex())
        .isEqualTo("0x6465ffa0b0c1e7cfc1a894ba54d79615bc06fd7cc9cfec558f3df82189d17367");
  }

  @Test
  void v2VoucherDigestAndSignatureMatchKnownAnswers() {
    Bytes32 channelId = v2Descriptor().channelId(SessionProtocol.TIP1034_ESCROW, 4217);

    Bytes32 digest =
        Voucher.digest(
            SessionProtocol.V2,
            4217,
            SessionProtocol.TIP1034_ESCROW,
            channelId,
            BigInteger.valueOf(100));
    Voucher voucher =
        Voucher.sign(
            signer(),
            SessionProtocol.V2,
            4217,
            SessionProtocol.TIP1034_ESCROW,
            channelId,
            BigInteger.valueOf(100));

    assertThat(digest.toHex())
        .isEqualTo("0x22bb33a0c0d3e04c9312dd8c70c80154e953fef495dd76ffa14388a9c7f987d3");
    assertThat(voucher.signature().toHex())
        .isEqualTo(
            "0xac956f8c878a19ed27307d2682f7f2c73e82bd8d7b88b3571489e790d6e9319c4377958c35452bd2"
                + "716347922cec1d161b33b4f98adbff2a40c605e4761edc571b");
    assertThat(
            voucher.verify(
                SessionProtocol.V2,
                4217,
                SessionProtocol.TIP1034_ESCROW,
                EvmAddress.parse(signer().address())))
        .isTrue();
  }

  @Test
  void v1ChannelIdDomainDigestAndSignatureMatchMppx() {
    ChannelDescriptor descriptor = ChannelDescriptor.v1(PAYER, PAYEE, TOKEN, SALT, SIGNER);
    Bytes32 channelId = descriptor.channelId(V1_ESCROW, 42431);

    assertThat(channelId.toHex())
        .isEqualTo("0x841ad8c2b0541cb089bcdf2684118b29cfe49755dc70318c3fa31db109e44d71");
    assertThat(Voucher.domainSeparator(SessionProtocol.V1, 42431, V1_ESCROW).toHex())
        .isEqualTo("0x4898f4d51296266af964f97e993553855254242af663fcb46ddf740b9ac170fa");
    BigInteger amount = BigInteger.valueOf(250_000);
    assertThat(Voucher.digest(SessionProtocol.V1, 42431, V1_ESCROW, channelId, amount).toHex())
        .isEqualTo("0x2645569d8301eab01c38d6781ce8d8e79b4b2b7b722559dc24a0cc4eea58fe71");
    assertThat(
            Voucher.sign(signer(), SessionProtocol.V1, 42431, V1_ESCROW, channelId, amount)
                .signature()
                .toHex())
        .isEqualTo(
            "0x2d25f0a9df11e18f884a6b6834e3f9b4f0b79e8d93cc519cfefe16f2ceda2ac30feff44d721ae5d0"
                + "7d2f3713469fb976a437dc3ce9880389bd59e278fc60ff761b");
  }

  @Test
  void protocolsDoNotShareDigests() {
    Bytes32 channelId = v2Descriptor().channelId(SessionProtocol.TIP1034_ESCROW, 4217);
    BigInteger amount = BigInteger.TEN;

    assertThat(
            Voucher.digest(
                SessionProtocol.V1, 4217, SessionProtocol.TIP1034_ESCROW, channelId, amount))
        .isNotEqualTo(
            Voucher.digest(
                SessionProtocol.V2, 4217, SessionProtocol.TIP1034_ESCROW, channelId, amount));
  }

  @Test
  void amountsBeyondTheProtocolWidthAreRefused() {
    Bytes32 channelId = Bytes32.ZERO;
    BigInteger tooBigForV2 = BigInteger.ONE.shiftLeft(96);

    assertThatThrownBy(
            () -> Voucher.digest(SessionProtocol.V2, 4217, V1_ESCROW, channelId, tooBigForV2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Voucher.digest(SessionProtocol.V1, 4217, V1_ESCROW, channelId, tooBigForV2))
        .isNotNull();
    assertThat(SessionProtocol.V2.fits(tooBigForV2)).isFalse();
    assertThat(SessionProtocol.V2.fits(tooBigForV2.subtract(BigInteger.ONE))).isTrue();
  }

  @Test
  void escrowCallDataMatchesViem() {
    HexFormat hex = HexFormat.of();
    ChannelDescriptor v1 = ChannelDescriptor.v1(PAYER, PAYEE, TOKEN, SALT, SIGNER);
    Bytes32 id1 = v1.channelId(V1_ESCROW, 42431);
    BigInteger deposit = BigInteger.valueOf(5_000_000);
    BigInteger topUp = BigInteger.valueOf(7_000_000);

    assertThat(hex.formatHex(EscrowCalls.openV1(PAYEE, TOKEN, deposit, SALT, SIGNER)))
        .isEqualTo(
            "c79ea485"
                + "0000000000000000000000002222222222222222222222222222222222222222"
                + "00000000000000000000000020c0000000000000000000000000000000000001"
                + "00000000000000000000000000000000000000000000000000000000004c4b40"
                + "0000000000000000000000000000000000000000000000000000000000000001"
                + "0000000000000000000000003333333333333333333333333333333333333333");
    assertThat(hex.formatHex(EscrowCalls.topUpV1(id1, topUp)))
        .isEqualTo(
            "b67644b9841ad8c2b0541cb089bcdf2684118b29cfe49755dc70318c3fa31db109e44d71"
                + "00000000000000000000000000000000000000000000000000000000006acfc0");
    assertThat(hex.formatHex(EscrowCalls.getChannelV1(id1)))
        .isEqualTo("831c2b82841ad8c2b0541cb089bcdf2684118b29cfe49755dc70318c3fa31db109e44d71");
    assertThat(hex.formatHex(EscrowCalls.approve(V1_ESCROW, deposit)))
        .isEqualTo(
            "095ea7b30000000000000000000000009d136eea063ede5418a6bc7beaff009bbb6cfa70"
                + "00000000000000000000000000000000000000000000000000000000004c4b40");
    assertThat(hex.formatHex(EscrowCalls.openV2(PAYEE, ZERO, TOKEN, deposit, SALT, SIGNER)))
        .isEqualTo(
            "edc53b00"
                + "0000000000000000000000002222222222222222222222222222222222222222"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "00000000000000000000000020c0000000000000000000000000000000000001"
                + "00000000000000000000000000000000000000000000000000000000004c4b40"
                + "0000000000000000000000000000000000000000000000000000000000000001"
                + "0000000000000000000000003333333333333333333333333333333333333333");
    assertThat(hex.formatHex(EscrowCalls.topUpV2(v2Descriptor(), topUp)))
        .isEqualTo(
            "dc48471e"
                + "0000000000000000000000001111111111111111111111111111111111111111"
                + "0000000000000000000000002222222222222222222222222222222222222222"
                + "0000000000000000000000000000000000000000000000000000000000000000"
                + "00000000000000000000000020c0000000000000000000000000000000000001"
                + "0000000000000000000000000000000000000000000000000000000000000001"
                + "0000000000000000000000003333333333333333333333333333333333333333"
                + "0000000000000000000000000000000000000000000000000000000000000002"
                + "00000000000000000000000000000000000000000000000000000000006acfc0");
    assertThat(
            hex.formatHex(
                EscrowCalls.getChannelStateV2(
                    v2Descriptor().channelId(SessionProtocol.TIP1034_ESCROW, 4217))))
        .isEqualTo("d18da8b1a392474fdbb5c6753e8789236893343f11200f43ba53cca09c0cda3651946ef2");
  }

  @Test
  void decodesV1ChannelStruct() {
    byte[] data = new byte[8 * 32];
    data[31] = 1; // finalized
    data[63] = 5; // closeRequestedAt
    System.arraycopy(PAYER.toBytes(), 0, data, 64 + 12, 20);
    System.arraycopy(PAYEE.toBytes(), 0, data, 96 + 12, 20);
    System.arraycopy(TOKEN.toBytes(), 0, data, 128 + 12, 20);
    System.arraycopy(SIGNER.toBytes(), 0, data, 160 + 12, 20);
    data[223] = 100;
    data[255] = 40;

    EscrowChannel channel = EscrowCalls.decodeChannelV1(data);

    assertThat(channel)
        .isEqualTo(
            new EscrowChannel(
                true,
                5,
                PAYER,
                PAYEE,
                TOKEN,
                SIGNER,
                BigInteger.valueOf(100),
                BigInteger.valueOf(40)));
    assertThat(channel.exists()).isTrue();
    assertThat(channel.usable()).isFalse();
    assertThat(EscrowCalls.decodeChannelV1(new byte[8 * 32]).exists()).isFalse();
    data[64] = 1; // dirty address padding
    assertThatThrownBy(() -> EscrowCalls.decodeChannelV1(data))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void descriptorJsonIsLowercaseAndV2Only() {
    assertThat(v2Descriptor().toJson().toString())
        .isEqualTo(
            "{\"payer\":\"0x1111111111111111111111111111111111111111\","
                + "\"payee\":\"0x2222222222222222222222222222222222222222\","
                + "\"operator\":\"0x0000000000000000000000000000000000000000\","
                + "\"token\":\"0x20c0000000000000000000000000000000000001\","
                + "\"salt\":\"0x0000000000000000000000000000000000000000000000000000000000000001\","
                + "\"authorizedSigner\":\"0x3333333333333333333333333333333333333333\","
                + "\"expiringNonceHash\":"
                + "\"0x0000000000000000000000000000000000000000000000000000000000000002\"}");
    assertThatThrownBy(() -> ChannelDescriptor.v1(PAYER, PAYEE, TOKEN, SALT, SIGNER).toJson())
        .isInstanceOf(IllegalStateException.class);
    assertThat(ChannelDescriptor.v1(PAYER, PAYEE, TOKEN, SALT, ZERO).voucherSigner())
        .isEqualTo(PAYER);
  }
}
