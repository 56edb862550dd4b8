package dev.mpp.testkit.session;

import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentResult;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.wallet.policy.Policy;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * A separate process that continues paying a session from the same SQLite file: proves that a
 * restart (a new JVM) continues the channel instead of opening another one.
 *
 * <p>Arguments: {@code file rpcUrl escrow url payerIndex agent maxLockableUsd requests}. Prints one
 * line {@code RESULT <status>,<status>,…} and exits 0.
 */
public final class SessionChild {
  private SessionChild() {}

  /** Runs the child. */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    URI rpc = URI.create(args[1]);
    String escrow = args[2];
    URI url = URI.create(args[3]);
    DevAccount payer = DevAccount.get(Integer.parseInt(args[4]));
    String agent = args[5];
    Policy policy = Policy.builder().maxLockable(args[6]).build();
    int requests = Integer.parseInt(args[7]);
    StringBuilder statuses = new StringBuilder();
    try (SessionFixture fixture =
        SessionFixture.open(file, rpc, escrow, payer, agent, policy, true)) {
      FlowGet client = new FlowGet(PaymentFlow.builder(fixture.wallet()).agent(agent).build());
      for (int i = 0; i < requests; i++) {
        PaymentResult<HttpResponse<byte[]>> result = client.get(url);
        statuses.append(i == 0 ? "" : ",").append(result.response().statusCode());
      }
    }
    System.out.println("RESULT " + statuses);
    System.out.flush();
  }
}
