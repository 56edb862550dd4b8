package dev.mpp.rail.tempo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.wire.Challenge;
import dev.mpp.evm.signer.PrivateKeySigner;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Random;
import java.util.function.LongSupplier;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Measures the median time to build and sign one pull-mode Tempo credential payload (request
 * validation, attribution memo, call data, RLP, keccak, secp256k1 signature, hex) against one bare
 * secp256k1 signature of a 32-byte hash. Run with {@code java -cp <test classpath>
 * dev.mpp.rail.tempo.TempoPullBenchmark [iterations]}; not a unit test.
 */
public final class TempoPullBenchmark {

  private TempoPullBenchmark() {}

  /** Runs the benchmark and prints the medians. */
  public static void main(String[] args) {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    PrivateKeySigner signer = PrivateKeySigner.of(CountingSigner.KEY.toCharArray());
    TempoChargeRail rail =
        TempoChargeRail.builder(Fixtures.config().build(), signer)
            .clock(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC))
            .build();
    ObjectNode request = Fixtures.request();
    Fixtures.details(request).put("feePayer", true);
    // Distinct challenge ids give distinct memos, so every credential signs a different hash.
    Challenge[] challenges = new Challenge[iterations];
    for (int i = 0; i < iterations; i++) {
      challenges[i] = Fixtures.challenge(request).toBuilder().id("bench-" + i).build();
    }
    int[] next = {0};
    PaymentContext context =
        PaymentContext.of(URI.create("https://api.example.com/r"), "GET", "bench");
    Random random = new Random(1);
    byte[] hash = new byte[32];

    LongSupplier credential =
        () -> {
          Challenge challenge = challenges[next[0]++ % iterations];
          long start = System.nanoTime();
          rail.pay(challenge, context);
          return System.nanoTime() - start;
        };
    LongSupplier bare =
        () -> {
          random.nextBytes(hash);
          long start = System.nanoTime();
          signer.sign(hash);
          return System.nanoTime() - start;
        };
    ECKeyPair pair = ECKeyPair.create(Numeric.toBigInt(CountingSigner.KEY));
    LongSupplier web3j =
        () -> {
          random.nextBytes(hash);
          long start = System.nanoTime();
          Sign.signMessage(hash, pair, false);
          return System.nanoTime() - start;
        };

    // Warm up every path (JIT) before measuring.
    measure(credential, iterations);
    measure(bare, iterations);
    measure(web3j, iterations);
    double credentialMedian = measure(credential, iterations);
    double bareMedian = measure(bare, iterations);
    double web3jMedian = measure(web3j, iterations);
    System.out.printf(
        "pull credential build+sign:        median %7.1f µs%n"
            + "bare secp256k1 signature:          median %7.1f µs%n"
            + "web3j Sign.signMessage (for scale): median %7.1f µs%n"
            + "credential overhead beyond signing: %.1f µs%n",
        credentialMedian, bareMedian, web3jMedian, credentialMedian - bareMedian);
  }

  private static double measure(LongSupplier run, int iterations) {
    long[] nanos = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      nanos[i] = run.getAsLong();
    }
    Arrays.sort(nanos);
    return nanos[iterations / 2] / 1_000.0;
  }
}
