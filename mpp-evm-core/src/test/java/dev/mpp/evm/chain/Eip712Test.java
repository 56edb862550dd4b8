package dev.mpp.evm.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.crypto.StructuredDataEncoder;

class Eip712Test {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encodesTypeInDeclarationOrder() {
    TypedStruct proof =
        TypedStruct.builder("Proof")
            .address("account", EvmAddress.of(new byte[20]))
            .string("challengeId", "x")
            .string("realm", "y")
            .build();

    assertThat(proof.encodeType())
        .isEqualTo("Proof(address account,string challengeId,string realm)");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void agreesWithWeb3jStructuredDataEncoder(int seed) throws Exception {
    Random random = new Random(seed);
    byte[] addressBytes = new byte[20];
    random.nextBytes(addressBytes);
    EvmAddress contract = EvmAddress.of(addressBytes);
    random.nextBytes(addressBytes);
    EvmAddress holder = EvmAddress.of(addressBytes);
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    byte[] blob = new byte[random.nextInt(70)];
    random.nextBytes(blob);
    BigInteger value = new BigInteger(random.nextInt(256) + 1, random);
    BigInteger small = new BigInteger(random.nextInt(48) + 1, random);
    long chainId = 1 + random.nextInt(1_000_000);
    String note = "note-" + random.nextInt() + "-ü✓";
    boolean flag = random.nextBoolean();

    TypedStruct domain = Eip712.domain("Token " + seed, "2", chainId, contract);
    TypedStruct message =
        TypedStruct.builder("Authorization")
            .address("holder", holder)
            .uint256("value", value)
            .uint("validBefore", 48, small)
            .fixedBytes("nonce", nonce)
            .string("note", note)
            .bytes("blob", blob)
            .bool("flag", flag)
            .build();

    String json =
        """
        {"types":{
          "EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
            {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
          "Authorization":[{"name":"holder","type":"address"},{"name":"value","type":"uint256"},
            {"name":"validBefore","type":"uint48"},{"name":"nonce","type":"bytes32"},
            {"name":"note","type":"string"},{"name":"blob","type":"bytes"},
            {"name":"flag","type":"bool"}]},
         "primaryType":"Authorization",
         "domain":{"name":"%s","version":"2","chainId":%d,"verifyingContract":"%s"},
         "message":{"holder":"%s","value":"%s","validBefore":"%s","nonce":"0x%s","note":"%s",
           "blob":"0x%s","flag":%s}}
        """
            .formatted(
                "Token " + seed,
                chainId,
                contract.toLowerHex(),
                holder.toLowerHex(),
                value,
                small,
                HEX.formatHex(nonce),
                note,
                HEX.formatHex(blob),
                flag);
    byte[] expected = new StructuredDataEncoder(json).hashStructuredData();

    assertThat(HEX.formatHex(Eip712.digest(domain, message))).isEqualTo(HEX.formatHex(expected));
  }

  @Test
  void rejectsOutOfRangeAndMalformedMembers() {
    TypedStruct.Builder builder = TypedStruct.builder("T");

    assertThatThrownBy(() -> builder.uint("a", 8, BigInteger.valueOf(256)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.uint256("b", BigInteger.valueOf(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.string("bad name", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.string("c", "x").string("c", "y"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.fixedBytes("d", new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Eip712.digest(builder.build(), builder.build()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
