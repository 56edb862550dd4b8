package dev.mpp.bench.overhead;

import dev.mpp.bench.TempFiles;
import dev.mpp.client.Exchange;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentResult;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Challenges;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.evm.signer.Signature;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.LedgerStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Client overhead per paid request, without a network, against its physical floor.
 *
 * <ul>
 *   <li>{@link #authorization}: from the 402's {@code WWW-Authenticate} values to the {@code
 *       Authorization} value ready to send — parse, drop expired offers, choose (quote, price,
 *       policy rules), reserve in the ledger (cap check + insert), build and sign the {@code 0x76}
 *       transaction, encode the credential. The reservation stays {@code HELD}.
 *   <li>{@link #paidRequest}: the same through {@link PaymentFlow#execute} over an in-memory {@link
 *       Exchange} that answers 402 and then 200 with a {@code Payment-Receipt}: adds what the
 *       adapters run around it (first-attempt headers, receipt parsing) and the ledger commit.
 *   <li>Floors: one bare secp256k1 signature with the same code the rail uses ({@link
 *       PrivateKeySigner}, BouncyCastle), web3j's {@code Sign.signMessage} for scale, one ledger
 *       reserve, and one reserve + commit, under the same limits the wallet checks.
 * </ul>
 *
 * <p>Stores: {@code memory} ({@code InMemoryLedgerStore}) and {@code sqlite} (durable default,
 * {@code synchronous=FULL}). The in-memory store sums the agent's records for each window check, so
 * it is replaced every {@link #ROLL} operations (see there).
 */
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClientOverheadBenchmark {

  /**
   * The in-memory store sums the agent's records on every reservation (see {@link
   * LedgerHistoryBenchmark}); a fresh one every 1,024 operations keeps that sum equally short for
   * the paths and their floors, whatever their speed.
   */
  static final int ROLL = 1024;

  /** A wallet over one ledger store, and the challenges it pays. */
  @State(Scope.Thread)
  public static class Client {
    @Param({"memory", "sqlite"})
    public String store;

    final String[] headers = TempoFixture.challengeHeaders(1);
    final PaymentContext context = TempoFixture.context();
    final String receipt = TempoFixture.receiptHeader();
    Path dir;
    Wallet wallet;
    PaymentFlow flow;
    int next;
    int ops;

    @Setup(Level.Trial)
    public void open() {
      dir = TempFiles.directory("mpp-bench");
      renew();
    }

    @TearDown(Level.Trial)
    public void close() {
      wallet.close();
      TempFiles.delete(dir);
    }

    private void renew() {
      if (wallet != null) {
        wallet.close();
      }
      wallet = TempoFixture.wallet(TempoFixture.openStore(store, dir));
      flow = PaymentFlow.builder(wallet).agent(TempoFixture.AGENT).build();
    }

    /** The wallet, over a fresh in-memory store every {@link #ROLL} operations. */
    Wallet wallet() {
      if (++ops % ROLL == 0 && store.equals("memory")) {
        renew();
      }
      return wallet;
    }

    PaymentFlow flow() {
      wallet();
      return flow;
    }

    List<String> nextChallenge() {
      return List.of(headers[next++ & (TempoFixture.CHALLENGES - 1)]);
    }
  }

  /** A bare ledger store. */
  @State(Scope.Thread)
  public static class Ledger {
    @Param({"memory", "sqlite"})
    public String store;

    Path dir;
    LedgerStore ledger;
    int ops;

    @Setup(Level.Trial)
    public void open() {
      dir = TempFiles.directory("mpp-bench");
      ledger = TempoFixture.openStore(store, dir);
    }

    @TearDown(Level.Trial)
    public void close() {
      ledger.close();
      TempFiles.delete(dir);
    }

    /** The store; in memory, a fresh one every {@link #ROLL} operations. */
    LedgerStore ledger() {
      if (++ops % ROLL == 0 && store.equals("memory")) {
        ledger.close();
        ledger = TempoFixture.openStore(store, dir);
      }
      return ledger;
    }
  }

  /** The signing key and distinct hashes to sign. */
  @State(Scope.Thread)
  public static class Keys {
    final PrivateKeySigner signer = TempoFixture.signer();
    final ECKeyPair pair = ECKeyPair.create(Numeric.toBigInt(TempoFixture.KEY));
    final byte[][] hashes = new byte[TempoFixture.CHALLENGES][32];
    int next;

    @Setup(Level.Trial)
    public void fill() {
      Random random = new Random(2);
      for (byte[] hash : hashes) {
        random.nextBytes(hash);
      }
    }

    byte[] nextHash() {
      return hashes[next++ & (TempoFixture.CHALLENGES - 1)];
    }
  }

  /** 402 headers → {@code Authorization} value (what {@code PaymentFlow} does before the retry). */
  @Benchmark
  public String authorization(Client c) {
    Challenges parsed = Challenge.parseAll(c.nextChallenge());
    Instant now = Instant.now();
    List<Challenge> offers = new ArrayList<>(parsed.valid().size());
    for (Challenge challenge : parsed.valid()) {
      if (!challenge.isExpired(now, 5) && challenge.digest().isEmpty()) {
        offers.add(challenge);
      }
    }
    PaymentAuthorization authorization = c.wallet().authorize(c.context, offers);
    return authorization.authorizationHeader();
  }

  /** A whole paid request through the flow, over an in-memory exchange; ends with the commit. */
  @Benchmark
  public PaymentState paidRequest(Client c) throws Exception {
    PaymentResult<Canned> result = c.flow().execute(c.context, new CannedExchange(c));
    return result.paymentRecord().orElseThrow().state();
  }

  /** Floor: one secp256k1 signature by the code the rail signs with. */
  @Benchmark
  public Signature floorSignature(Keys k) {
    return k.signer.sign(k.nextHash());
  }

  /** For scale: web3j's signature, which searches for the recovery id by recovering keys. */
  @Benchmark
  public Sign.SignatureData web3jSignature(Keys k) {
    return Sign.signMessage(k.nextHash(), k.pair, false);
  }

  /** Floor: one reservation under the wallet's limits (what {@link #authorization} writes). */
  @Benchmark
  public Object floorLedgerReserve(Ledger l) {
    Instant now = Instant.now();
    return l.ledger().reserve(TempoFixture.held(now), TempoFixture.limits(now));
  }

  /** Floor: one reservation and its commit (what {@link #paidRequest} writes). */
  @Benchmark
  public Object floorLedgerReserveCommit(Ledger l) {
    Instant now = Instant.now();
    var held = TempoFixture.held(now);
    LedgerStore ledger = l.ledger();
    ledger.reserve(held, TempoFixture.limits(now));
    return ledger.transition(held.id(), PaymentState.PAID, "0xref", "receipt", null, now);
  }

  /** A response of the in-memory exchange. */
  record Canned(int status, String header, String value) {}

  /** Answers the first attempt with the next 402 and the paid retry with 200 and a receipt. */
  static final class CannedExchange implements Exchange<Canned> {
    private final Client client;

    CannedExchange(Client client) {
      this.client = client;
    }

    @Override
    public Canned send(Map<String, String> headers) {
      if (headers.containsKey("Authorization")) {
        return new Canned(200, "Payment-Receipt", client.receipt);
      }
      return new Canned(402, "WWW-Authenticate", client.nextChallenge().get(0));
    }

    @Override
    public int status(Canned response) {
      return response.status();
    }

    @Override
    public List<String> headers(Canned response, String name) {
      return response.header().equalsIgnoreCase(name) ? List.of(response.value()) : List.of();
    }

    @Override
    public URI url(Canned response) {
      return TempoFixture.URL;
    }

    @Override
    public byte[] peekBody(Canned response, int maxBytes) {
      return new byte[0];
    }

    @Override
    public void discard(Canned response) {}
  }
}
