package dev.mpp.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.rail.tempo.Memo;
import dev.mpp.rail.tempo.TempoCall;
import dev.mpp.rail.tempo.TempoTransaction;
import dev.mpp.rail.tempo.Tip20;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Feeds 150 seeded random Tempo transactions built and signed by the Java rail to ox 0.14.33 (the
 * library mppx 0.11.0 uses), via {@code examples/mpp-server/tempo-ox-check.mjs}: ox must encode the
 * same fields to the same bytes and signing hash, decode the signed bytes to the same fields,
 * recover the same sender and re-serialize byte for byte. Needs Node and the installed stack
 * packages, but no running chain.
 */
class TempoOxCrossCheckTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger N =
      new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);
  private static final int CASES = 150;

  @Test
  void oxDecodesEveryTransactionAndRecoversItsSender() throws Exception {
    Random random = new Random(20_261_125);
    ArrayNode cases = JSON.createArrayNode();
    for (int i = 0; i < CASES; i++) {
      cases.add(randomCase(random));
    }
    StackEnvironment env = StackEnvironment.detect();
    Files.createDirectories(env.logDir());
    Path input = Files.createTempFile(env.logDir(), "tempo-ox-cases-", ".json");
    Files.writeString(input, JSON.createObjectNode().set("cases", cases).toString());
    Path output = Files.createTempFile(env.logDir(), "tempo-ox-check-", ".log");

    Process process =
        new ProcessBuilder(
                env.nodeExecutable().toString(),
                env.serverDir().resolve("tempo-ox-check.mjs").toString(),
                input.toString())
            .directory(env.serverDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean exited = process.waitFor(120, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }

    String log = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(exited).as("ox check finished within 120 s").isTrue();
    List<JsonNode> results = new ArrayList<>();
    for (String line : log.split("\n")) {
      if (line.startsWith("{")) {
        results.add(JSON.readTree(line));
      }
    }
    assertThat(results).as(log).hasSize(CASES + 1);
    assertThat(results.subList(0, CASES))
        .allSatisfy(
            result -> assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue());
    assertThat(results.get(CASES).path("failed").asInt()).isZero();
    assertThat(process.exitValue()).as(log).isZero();
  }

  private static ObjectNode randomCase(Random random) {
    BigInteger scalar =
        new BigInteger(256, random).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    PrivateKeySigner signer = PrivateKeySigner.of(toBytes32(scalar));
    ObjectNode fields = JSON.createObjectNode();

    long chainId = random.nextInt(4) == 0 ? 4217 : 1 + (random.nextLong() >>> 24);
    TempoTransaction.Builder builder = TempoTransaction.builder(chainId);
    fields.put("chainId", chainId);

    BigInteger maxFee = randomUint(random, random.nextInt(4) == 0 ? 256 : 64);
    BigInteger priority = randomUint(random, 256).mod(maxFee.add(BigInteger.ONE));
    long gas = random.nextInt(5) == 0 ? 0 : random.nextLong() >>> (1 + random.nextInt(63));
    builder.maxFeePerGas(maxFee).maxPriorityFeePerGas(priority).gas(gas);
    fields.put("maxFeePerGas", maxFee.toString());
    fields.put("maxPriorityFeePerGas", priority.toString());
    fields.put("gas", Long.toString(gas));

    ArrayNode calls = fields.putArray("calls");
    int callCount = 1 + random.nextInt(5);
    for (int i = 0; i < callCount; i++) {
      EvmAddress to = randomAddress(random);
      BigInteger value = random.nextInt(3) == 0 ? randomUint(random, 256) : BigInteger.ZERO;
      byte[] data;
      switch (random.nextInt(4)) {
        case 0 -> data = new byte[0];
        case 1 -> data = Tip20.transfer(randomAddress(random), randomUint(random, 128));
        case 2 -> {
          byte[] memo = new byte[32];
          random.nextBytes(memo);
          data =
              Tip20.transferWithMemo(randomAddress(random), randomUint(random, 256), Memo.of(memo));
        }
        default -> {
          data = new byte[1 + random.nextInt(300)];
          random.nextBytes(data);
        }
      }
      builder.call(TempoCall.of(to, value, data));
      calls
          .addObject()
          .put("to", to.toChecksumHex())
          .put("value", value.toString())
          .put("data", "0x" + HEX.formatHex(data));
    }

    long now = 1_700_000_000L + random.nextInt(500_000_000);
    if (random.nextBoolean()) {
      builder.expiringNonce().validBefore(now);
      fields.put("nonceKey", TempoTransaction.EXPIRING_NONCE_KEY.toString());
      fields.put("nonce", "0");
      fields.put("validBefore", now);
    } else {
      BigInteger nonceKey =
          randomUint(random, random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(256));
      long nonce = random.nextInt(4) == 0 ? 0 : random.nextLong() >>> (1 + random.nextInt(63));
      builder.nonceKey(nonceKey).nonce(nonce);
      fields.put("nonceKey", nonceKey.toString());
      fields.put("nonce", Long.toString(nonce));
      if (random.nextBoolean()) {
        builder.validBefore(now);
        fields.put("validBefore", now);
      }
    }
    if (random.nextInt(3) == 0) {
      long after = now - 1 - random.nextInt(10_000);
      builder.validAfter(after);
      fields.put("validAfter", after);
    }
    boolean sponsored = random.nextBoolean();
    fields.put("sponsored", sponsored);
    if (sponsored) {
      builder.sponsored();
    } else if (random.nextInt(4) != 0) {
      EvmAddress feeToken = randomAddress(random);
      builder.feeToken(feeToken);
      fields.put("feeToken", feeToken.toChecksumHex());
    }

    TempoTransaction unsigned = builder.build();
    TempoTransaction signed = unsigned.sign(signer);
    ObjectNode c = JSON.createObjectNode();
    c.set("fields", fields);
    c.put("unsigned", hex(unsigned.encodeUnsigned()));
    c.put("signingHash", hex(unsigned.signingHash()));
    c.put("signed", hex(signed.encodeSigned()));
    c.put("txHash", hex(signed.txHash()));
    c.put("sender", signer.address());
    return c;
  }

  private static BigInteger randomUint(Random random, int maxBits) {
    return maxBits == 0 ? BigInteger.ZERO : new BigInteger(1 + random.nextInt(maxBits), random);
  }

  private static EvmAddress randomAddress(Random random) {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    return EvmAddress.of(bytes);
  }

  private static byte[] toBytes32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, out, 32 - length, length);
    return out;
  }

  private static String hex(byte[] bytes) {
    return "0x" + HEX.formatHex(bytes);
  }
}
