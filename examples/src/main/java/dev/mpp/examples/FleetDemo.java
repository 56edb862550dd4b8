package dev.mpp.examples;

import dev.mpp.client.MppException;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Receipt;
import dev.mpp.evm.signer.Signer;
import dev.mpp.jdk.MppHttpClient;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import dev.mpp.okhttp.MppIOException;
import dev.mpp.okhttp.MppInterceptor;
import dev.mpp.wallet.Budget;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A fleet of three agents sharing one wallet: each has its own limits, all draw on one fleet
 * budget, and they call the local stack's paid routes concurrently until a policy says no. Then the
 * demo prints every receipt and a spend summary from the ledger (an SQLite file), and checks the
 * ledger against the chain.
 *
 * <pre>
 * bash examples/run-demo.sh      # builds, starts the local stack, runs this, stops the stack
 * </pre>
 *
 * <p>Options: {@code --server URL --rpc-url URL} (see {@link DemoStack}) and {@code --ledger FILE}
 * (default {@code target/fleet-demo.db}; any previous file there is replaced).
 */
public final class FleetDemo {
  private static final String FLEET = "research";
  private static final String FLEET_CAP = "0.20";
  private static final int MAX_CALLS_PER_AGENT = 25;

  private FleetDemo() {}

  /** One agent of the fleet: its limits, its HTTP stack and the routes it keeps calling. */
  private record Agent(
      String name, Policy policy, String limits, String http, List<String> routes) {}

  private static final List<Agent> AGENTS =
      List.of(
          new Agent(
              "scout",
              Policy.builder().cap(Window.DAY, "0.03").build(),
              "0.03 usd/day",
              "OkHttp",
              List.of("/tempo/charge")),
          new Agent(
              "analyst",
              Policy.builder().cap(Window.DAY, "0.15").maxPerPayment("0.03").build(),
              "0.15 usd/day, at most 0.03 per payment",
              "JDK HttpClient",
              List.of("/tempo/sponsored", "/multi")),
          new Agent(
              "archivist",
              Policy.builder().cap(Window.DAY, "0.10").maxPayments(Window.HOUR, 4).build(),
              "0.10 usd/day, 4 payments/hour",
              "OkHttp",
              List.of("/multi", "/tempo/charge")));

  /**
   * Runs the demo; exits non-zero if nothing was paid, an agent stopped on an error rather than a
   * policy, or the ledger and the chain disagree.
   */
  public static void main(String[] args) throws Exception {
    DemoStack stack = DemoStack.fromArgs(args);
    Path ledger = Path.of(stack.options().getOrDefault("ledger", "target/fleet-demo.db"));
    freshLedger(ledger);
    Signer treasury = DemoStack.payer();
    String recipient = stack.recipient();
    Balances before = Balances.read(stack, recipient, treasury.address());

    System.out.printf("MPP fleet demo against %s (chain %s)%n", stack.server(), stack.rpcUrl());
    System.out.printf("ledger: SQLite %s%n", ledger);
    System.out.printf("fleet %s: %s usd/day shared by%n", FLEET, FLEET_CAP);
    for (Agent agent : AGENTS) {
      System.out.printf(
          "  %-9s %-40s %-15s calls %s%n",
          agent.name(), agent.limits(), agent.http(), String.join(", ", agent.routes()));
    }
    System.out.println();

    Wallet.Builder builder =
        Wallet.builder()
            .ledger(SqliteLedgerStore.open(ledger))
            .rail(stack.tempoRail(treasury))
            .fleet(FLEET, Policy.builder().cap(Window.DAY, FLEET_CAP).build());
    AGENTS.forEach(agent -> builder.agent(agent.name(), FLEET, agent.policy()));
    Map<String, String> stoppedBy = new ConcurrentHashMap<>();
    boolean ok;
    try (Wallet wallet = builder.build()) {
      ExecutorService fleet = Executors.newFixedThreadPool(AGENTS.size());
      List<Future<?>> running = new ArrayList<>();
      for (Agent agent : AGENTS) {
        running.add(fleet.submit(() -> run(stack, wallet, agent, stoppedBy)));
      }
      for (Future<?> agent : running) {
        agent.get(5, TimeUnit.MINUTES);
      }
      fleet.shutdown();

      List<PaymentRecord> records = new ArrayList<>(wallet.records(LedgerQuery.all()));
      records.sort(Comparator.comparing(PaymentRecord::createdAt));
      printReceipts(records);
      printSummary(wallet, records, stoppedBy);

      boolean agrees =
          chainCheck(records, before, Balances.read(stack, recipient, treasury.address()));
      // A demo that paid nothing, or whose agents stopped on errors rather than on their
      // policies, has shown nothing: fail, so that CI notices.
      boolean paidSomething = records.stream().anyMatch(r -> r.state() == PaymentState.PAID);
      boolean allDenied = stoppedBy.values().stream().noneMatch(why -> why.startsWith("error"));
      ok = agrees && paidSomething && allDenied;
    }
    if (!ok) {
      System.out.println("fleet demo FAILED");
      System.exit(1);
    }
  }

  /** The recipient's and the treasury's pathUSD and AlphaUSD balances, in base units. */
  private record Balances(
      BigInteger recipientPath,
      BigInteger recipientAlpha,
      BigInteger treasuryPath,
      BigInteger treasuryAlpha) {
    static Balances read(DemoStack stack, String recipient, String treasury) {
      return new Balances(
          stack.balanceOf(DemoStack.PATH_USD, recipient),
          stack.balanceOf(DemoStack.ALPHA_USD, recipient),
          stack.balanceOf(DemoStack.PATH_USD, treasury),
          stack.balanceOf(DemoStack.ALPHA_USD, treasury));
    }
  }

  /**
   * Compares the ledger with the chain: the recipient must have received exactly what the ledger
   * says was paid, token by token; what the treasury spent beyond that went to fees.
   */
  private static boolean chainCheck(List<PaymentRecord> records, Balances before, Balances after) {
    BigInteger pathPaid = paid(records, DemoStack.PATH_USD.toLowerHex());
    BigInteger alphaPaid = paid(records, DemoStack.ALPHA_USD.toLowerHex());
    BigInteger pathReceived = after.recipientPath().subtract(before.recipientPath());
    BigInteger alphaReceived = after.recipientAlpha().subtract(before.recipientAlpha());
    BigInteger pathSpent = before.treasuryPath().subtract(after.treasuryPath());
    BigInteger alphaSpent = before.treasuryAlpha().subtract(after.treasuryAlpha());
    boolean agrees = pathPaid.equals(pathReceived) && alphaPaid.equals(alphaReceived);
    System.out.printf("%nChain check (balances read from the chain)%n");
    System.out.printf(
        "  ledger paid        %s pathUSD + %s AlphaUSD%n", units(pathPaid), units(alphaPaid));
    System.out.printf(
        "  recipient received %s pathUSD + %s AlphaUSD: %s%n",
        units(pathReceived),
        units(alphaReceived),
        agrees ? "matches the ledger to the base unit" : "MISMATCH");
    System.out.printf(
        "  treasury spent     %s pathUSD + %s AlphaUSD (network fees: %s + %s)%n",
        units(pathSpent),
        units(alphaSpent),
        units(pathSpent.subtract(pathPaid)),
        units(alphaSpent.subtract(alphaPaid)));
    return agrees;
  }

  /** Calls the agent's routes in turn until its policy (or the fleet's) denies a payment. */
  private static void run(
      DemoStack stack, Wallet wallet, Agent agent, Map<String, String> stoppedBy) {
    Function<URI, Paid> http =
        agent.http().equals("OkHttp") ? okHttp(wallet, agent.name()) : jdk(wallet, agent.name());
    for (int call = 0; call < MAX_CALLS_PER_AGENT; call++) {
      String route = agent.routes().get(call % agent.routes().size());
      try {
        Paid paid = http.apply(stack.url(route));
        PaymentRecord record = paid.record();
        System.out.printf(
            "[%-9s] %s %-17s HTTP %d, paid %s %s (%s usd)%n",
            agent.name(),
            "GET",
            route,
            paid.status(),
            record == null ? "nothing" : record.units().toPlainString(),
            record == null ? "" : token(record.currency()),
            record == null ? "0" : record.usd().toPlainString());
      } catch (PaymentDeniedException denied) {
        stoppedBy.put(agent.name(), denied.rule());
        System.out.printf(
            "[%-9s] GET %-17s denied: %s%n", agent.name(), route, shortMessage(denied));
        return;
      } catch (MppException failed) {
        stoppedBy.put(agent.name(), "error " + failed.code());
        System.out.printf(
            "[%-9s] GET %-17s failed: %s %s%n",
            agent.name(), route, failed.code(), failed.getMessage());
        return;
      }
    }
    stoppedBy.put(agent.name(), "call limit of the demo");
  }

  /** An HTTP call as the demo sees it: the status and the payment made for it, if any. */
  private record Paid(int status, PaymentRecord record) {}

  private static Function<URI, Paid> okHttp(Wallet wallet, String agent) {
    OkHttpClient client =
        new OkHttpClient.Builder()
            .addInterceptor(MppInterceptor.builder(wallet).agent(agent).build())
            .build();
    return url -> {
      try (Response response =
          client.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
        return new Paid(response.code(), MppInterceptor.paymentRecord(response).orElse(null));
      } catch (MppIOException e) {
        throw e.error();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static Function<URI, Paid> jdk(Wallet wallet, String agent) {
    HttpClient client =
        MppHttpClient.builder(HttpClient.newHttpClient(), wallet).agent(agent).build();
    return url -> {
      try {
        HttpResponse<Void> response =
            client.send(
                HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding());
        return new Paid(response.statusCode(), MppHttpClient.paymentRecord(response).orElse(null));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    };
  }

  private static void printReceipts(List<PaymentRecord> records) {
    System.out.printf("%nReceipts (%d payments in the ledger)%n", records.size());
    int n = 0;
    for (PaymentRecord record : records) {
      Receipt receipt = record.receipt().orElse(null);
      System.out.printf(
          "%3d. %-9s %-17s %-7s %s %-8s %-7s receipt: %s%n",
          ++n,
          record.agent(),
          URI.create(record.url()).getPath(),
          record.state(),
          record.units().toPlainString(),
          token(record.currency()),
          record.method(),
          receipt == null
              ? "none (" + record.detail() + ")"
              : receipt.status()
                  + " "
                  + receipt.reference()
                  + " at "
                  + receipt.timestamp().orElse(null));
    }
  }

  private static void printSummary(
      Wallet wallet, List<PaymentRecord> records, Map<String, String> stoppedBy) {
    System.out.printf("%nSpend summary (from the ledger)%n");
    System.out.printf("  %-9s %8s %10s  %s%n", "agent", "payments", "usd", "stopped by");
    long fleetMicros = 0;
    for (Agent agent : AGENTS) {
      List<PaymentRecord> mine =
          records.stream()
              .filter(r -> r.agent().equals(agent.name()) && r.state() == PaymentState.PAID)
              .toList();
      long micros = mine.stream().mapToLong(PaymentRecord::usdMicros).sum();
      fleetMicros += micros;
      System.out.printf(
          "  %-9s %8d %10s  %s%n",
          agent.name(), mine.size(), usd(micros), stoppedBy.getOrDefault(agent.name(), "-"));
    }
    System.out.printf("  %-9s %8s %10s of %s usd/day%n", "fleet", "", usd(fleetMicros), FLEET_CAP);
    System.out.printf("%nBudgets now (Wallet.budget)%n");
    for (Agent agent : AGENTS) {
      Budget budget = wallet.budget(agent.name());
      for (Budget.Line line : budget.lines()) {
        if (line.scope().kind() == Limit.Scope.Kind.FLEET && !agent.equals(AGENTS.get(0))) {
          continue; // the fleet's lines are the same for every agent: print them once
        }
        System.out.printf(
            "  %-28s paid %-9s of %-9s %-8s %s left%n",
            line.rule(),
            line.paid().toPlainString(),
            line.limit().toPlainString(),
            line.unit(),
            line.remaining().toPlainString());
      }
    }
  }

  private static BigInteger paid(List<PaymentRecord> records, String token) {
    return records.stream()
        .filter(r -> r.state() == PaymentState.PAID && r.currency().equalsIgnoreCase(token))
        .map(PaymentRecord::amount)
        .reduce(BigInteger.ZERO, BigInteger::add);
  }

  private static String token(String currency) {
    String lower = currency.toLowerCase(Locale.ROOT);
    if (lower.equals(DemoStack.PATH_USD.toLowerHex())) {
      return "pathUSD";
    }
    if (lower.equals(DemoStack.ALPHA_USD.toLowerHex())) {
      return "AlphaUSD";
    }
    return currency;
  }

  private static String units(BigInteger baseUnits) {
    return new BigDecimal(baseUnits, 6).toPlainString();
  }

  private static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }

  private static String shortMessage(PaymentDeniedException denied) {
    String message = denied.getMessage();
    int offers = message.indexOf(" [offers:");
    return offers < 0 ? message : message.substring(0, offers);
  }

  private static void freshLedger(Path ledger) throws IOException {
    Path parent = ledger.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
      Files.deleteIfExists(Path.of(ledger + suffix));
    }
  }
}
