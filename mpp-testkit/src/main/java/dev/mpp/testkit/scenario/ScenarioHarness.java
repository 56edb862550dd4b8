package dev.mpp.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import dev.mpp.client.MppException;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.HmacTestRail;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every group of the adapter scenario suite shares: a loopback {@link MockWebServer} as the
 * primary origin, the clients a scenario builds (closed after it), and helpers to run calls and
 * look at what the server received. The groups extend one another ({@link PayingScenarios}, {@link
 * AfterPaymentScenarios}, {@link CredentialSafetyScenarios}) up to {@link AdapterScenarios}, the
 * class adapters subclass, because a JUnit test class runs the tests of all its superclasses.
 */
public abstract class ScenarioHarness {
  /** Sync ({@code execute}, {@code send}) or async ({@code enqueue}, {@code sendAsync}). */
  public enum Mode {
    /** On the calling thread. */
    SYNC,
    /** Through the library's asynchronous API. */
    ASYNC
  }

  /** What a standard test challenge costs. */
  protected static final int PRICE_CENTS = 25;

  /** The primary server: the origin that issues challenges. */
  protected MockWebServer server;

  private final List<AdapterDriver.Client> clients = new ArrayList<>();

  /** The adapter under test. */
  protected abstract AdapterDriver driver();

  /**
   * A real wallet (in-memory ledger, HMAC test rail with {@link FakePayer#SECRET}) whose agent may
   * spend {@code budgetCents} a day.
   */
  protected static Wallet wallet(long budgetCents) {
    return Wallet.builder()
        .ledger(new InMemoryLedgerStore())
        .rail(HmacTestRail.of(FakePayer.SECRET))
        .agent(
            ClientOptions.DEFAULT_AGENT,
            Policy.builder()
                .cap(Window.DAY, BigDecimal.valueOf(budgetCents, 2).toPlainString())
                .build())
        .build();
  }

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopServer() {
    clients.forEach(AdapterDriver.Client::close);
    server.close();
  }

  /** Builds a client that the suite closes after the test. */
  protected AdapterDriver.Client client(ClientOptions options) {
    AdapterDriver.Client client = driver().client(options);
    clients.add(client);
    return client;
  }

  /** A URL on the primary server. */
  protected URI url(String path) {
    return server.url(path).uri();
  }

  /** Runs {@code call} in {@code mode}, returning the reply or throwing what the library threw. */
  protected static HttpReply run(AdapterDriver.Client client, HttpCall call, Mode mode)
      throws Exception {
    if (mode == Mode.SYNC) {
      return client.execute(call);
    }
    try {
      return client.executeAsync(call).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** The typed payment error somewhere in {@code thrown}'s cause chain. */
  protected static MppException mppError(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof MppException mpp) {
        return mpp;
      }
    }
    return fail("expected a typed MppException in the cause chain of " + thrown, thrown);
  }

  /** Runs {@code call}, which must fail, and returns its typed payment error. */
  protected static MppException failure(AdapterDriver.Client client, HttpCall call, Mode mode) {
    Throwable thrown = catchThrowable(() -> run(client, call, mode));
    assertThat(thrown).as("the call must fail").isNotNull();
    return mppError(thrown);
  }

  /** Every request {@code on} has received so far, in order. */
  protected List<RecordedRequest> requests(MockWebServer on) throws InterruptedException {
    List<RecordedRequest> all = new ArrayList<>();
    int count = on.getRequestCount();
    for (int i = 0; i < count; i++) {
      all.add(on.takeRequest(5, TimeUnit.SECONDS));
    }
    return all;
  }

  /** The {@code Authorization} header of {@code request}, or null. */
  protected static String authorization(RecordedRequest request) {
    return request.getHeaders().get("Authorization");
  }

  /** A response that closes the connection instead of answering. */
  protected static MockResponse reset() {
    return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
  }

  /** The primary server as an HTTP proxy address. */
  protected java.net.InetSocketAddress address() {
    return new java.net.InetSocketAddress(server.getHostName(), server.getPort());
  }
}
