package dev.mpp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.wallet.Budget;
import dev.mpp.wallet.Wallet;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mpp budget}: where an agent stands against each cap. */
@Command(
    name = "budget",
    mixinStandardHelpOptions = true,
    description = {
      "For each configured cap of the agent (and its fleet): limit, spent, held, unknown,"
          + " remaining.",
      "Caps come from the policy flags or file last used with this wallet and agent."
    })
final class BudgetCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;
  @Mixin WalletOptions walletOptions;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Wallet wallet = walletOptions.open(false, false)) {
      Budget budget = wallet.budget(walletOptions.agent);
      for (Budget.Line line : budget.lines()) {
        ObjectNode node = JSON.createObjectNode();
        node.put("agent", budget.agent());
        node.put("scope", line.scope().label());
        node.put("rule", line.rule());
        if (line.since() != null) {
          node.put("since", line.since().toString());
        }
        node.put("unit", line.unit());
        node.put("limit", plain(line.limit()));
        node.put("spent", plain(line.paid()));
        node.put("held", plain(line.held()));
        node.put("unknown", plain(line.unknown()));
        node.put("remaining", plain(line.remaining()));
        out.println(JSON.writeValueAsString(node));
      }
      budget.expiry().ifPresent(at -> out.println("{\"expires\":\"" + at + "\"}"));
      out.flush();
    }
    return ExitCodes.OK;
  }

  private static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }
}
