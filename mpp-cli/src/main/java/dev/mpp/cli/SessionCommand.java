package dev.mpp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.rail.tempo.session.Bytes32;
import dev.mpp.rail.tempo.session.ChannelState;
import dev.mpp.rail.tempo.session.CloseResult;
import dev.mpp.rail.tempo.session.JdbcChannelStore;
import dev.mpp.rail.tempo.session.TempoSessionRail;
import dev.mpp.wallet.Wallet;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mpp session}: the wallet's payment channels (Tempo sessions). */
@Command(
    name = "session",
    mixinStandardHelpOptions = true,
    description = "List or close the wallet's payment channels (Tempo sessions).",
    subcommands = {SessionCommand.ListCommand.class, SessionCommand.CloseCommand.class})
final class SessionCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: list or close");
  }

  static ObjectNode describe(ChannelState channel) {
    ObjectNode node = JSON.createObjectNode();
    node.put("channelId", channel.channelId().toHex());
    node.put("status", channel.status().name());
    node.put("agent", channel.key().agent());
    node.put("origin", channel.key().origin());
    node.put("protocol", channel.key().protocol().wireName());
    node.put("escrow", channel.key().escrow().toLowerHex());
    node.put("payee", channel.key().payee().toLowerHex());
    node.put("token", channel.key().token().toLowerHex());
    node.put("deposit", channel.deposit().toString());
    node.put("highestSigned", channel.highestSigned().toString());
    node.put("accepted", channel.accepted().toString());
    if (channel.settled() != null) {
      node.put("settled", channel.settled().toString());
    }
    if (channel.closeTxHash() != null) {
      node.put("closeTxHash", channel.closeTxHash());
    }
    return node;
  }

  /** {@code mpp session list}: one JSON line per channel of the agent. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "One JSON line per channel of the agent (every agent with --all-agents).")
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WalletOptions walletOptions;

    @Option(names = "--all-agents", description = "List the channels of every agent.")
    boolean allAgents;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (JdbcChannelStore store = JdbcChannelStore.sqlite(walletOptions.walletPath())) {
        for (ChannelState channel : store.list(allAgents ? null : walletOptions.agent)) {
          out.println(JSON.writeValueAsString(describe(channel)));
        }
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  /**
   * {@code mpp session close}: closes channels cooperatively and reports what the payee received.
   */
  @Command(
      name = "close",
      mixinStandardHelpOptions = true,
      description = {
        "Close the agent's open channels (or one with --channel): sign a final voucher for what"
            + " the server accepted, have the server settle on chain, and print one JSON line per"
            + " channel with the settled and refunded amounts.",
        "Needs the key, --chain-id and --rpc-url, like fetch."
      })
  static final class CloseCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WalletOptions walletOptions;

    @Option(names = "--channel", paramLabel = "ID", description = "Close only this channel.")
    String channel;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (Wallet ignored = walletOptions.open(false)) {
        TempoSessionRail rail =
            walletOptions
                .sessionRail()
                .orElseThrow(() -> WalletOptions.usage("closing a channel needs the payer's key"));
        List<CloseResult> results;
        if (channel != null) {
          Bytes32 id;
          try {
            id = Bytes32.parse(channel);
          } catch (IllegalArgumentException e) {
            throw WalletOptions.usage("--channel is not a 0x-prefixed 32-byte channel id");
          }
          results = List.of(rail.close(id));
        } else {
          results = rail.closeAll(walletOptions.agent);
        }
        for (CloseResult result : results) {
          ObjectNode node = JSON.createObjectNode();
          node.put("channelId", result.channelId().toHex());
          node.put("settled", result.settled().toString());
          node.put("refunded", result.refunded().toString());
          if (result.closeTxHash() != null) {
            node.put("closeTxHash", result.closeTxHash());
          }
          out.println(JSON.writeValueAsString(node));
        }
        out.flush();
        return ExitCodes.OK;
      } finally {
        walletOptions.closeSessions();
      }
    }
  }
}
