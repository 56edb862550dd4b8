package dev.mpp.rail.tempo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;

class Tip20Test {

  private static String selector(String signature) {
    return "0x"
        + HexFormat.of().formatHex(Hash.sha3(signature.getBytes(StandardCharsets.UTF_8)), 0, 4);
  }

  @Test
  void selectorsAreTheKeccakOfTheSignatures() {
    assertThat(selector("transferWithMemo(address,uint256,bytes32)"))
        .isEqualTo("0x95777d59")
        .isEqualTo("0x" + HexFormat.of().formatHex(Tip20.TRANSFER_WITH_MEMO));
    assertThat(selector("transfer(address,uint256)"))
        .isEqualTo("0x" + HexFormat.of().formatHex(Tip20.TRANSFER));
    assertThat(selector("balanceOf(address)"))
        .isEqualTo("0x" + HexFormat.of().formatHex(Tip20.BALANCE_OF));
  }

  @Test
  void callDataAgreesWithWeb3jAbiEncoderAndDecodesBack() {
    Random random = new Random(3);
    for (int i = 0; i < 50; i++) {
      byte[] to = new byte[20];
      byte[] memo = new byte[32];
      random.nextBytes(to);
      random.nextBytes(memo);
      BigInteger amount = new BigInteger(1 + random.nextInt(256), random);
      EvmAddress recipient = EvmAddress.of(to);

      byte[] withMemo = Tip20.transferWithMemo(recipient, amount, Memo.of(memo));
      byte[] plain = Tip20.transfer(recipient, amount);

      String expectedWithMemo =
          FunctionEncoder.encode(
              new Function(
                  "transferWithMemo",
                  List.of(
                      new Address(recipient.toLowerHex()), new Uint256(amount), new Bytes32(memo)),
                  List.of()));
      String expectedPlain =
          FunctionEncoder.encode(
              new Function(
                  "transfer",
                  List.of(new Address(recipient.toLowerHex()), new Uint256(amount)),
                  List.of()));
      assertThat("0x" + HexFormat.of().formatHex(withMemo)).isEqualTo(expectedWithMemo);
      assertThat("0x" + HexFormat.of().formatHex(plain)).isEqualTo(expectedPlain);
      assertThat(Tip20.decodeTransfer(withMemo))
          .contains(new Tip20.Transfer(recipient, amount, Optional.of(Memo.of(memo))));
      assertThat(Tip20.decodeTransfer(plain))
          .contains(new Tip20.Transfer(recipient, amount, Optional.empty()));
    }
  }

  @Test
  void decodeRejectsOtherCallData() {
    byte[] data = Tip20.transfer(EvmAddress.of(new byte[20]), BigInteger.ONE);
    byte[] dirty = data.clone();
    dirty[5] = 1; // non-zero address padding

    assertThat(Tip20.decodeTransfer(dirty)).isEmpty();
    assertThat(Tip20.decodeTransfer(new byte[68])).isEmpty();
    assertThat(Tip20.decodeTransfer(Tip20.balanceOf(EvmAddress.of(new byte[20])))).isEmpty();
  }
}
