package dev.mpp.testkit.session;

import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import dev.mpp.rail.tempo.session.ChannelStore;
import dev.mpp.rail.tempo.session.JdbcChannelStore;
import dev.mpp.rail.tempo.session.SessionProtocol;
import dev.mpp.rail.tempo.session.TempoSessionConfig;
import dev.mpp.rail.tempo.session.TempoSessionRail;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.policy.Policy;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A wallet that pays the local stack's session route: a SQLite ledger and channel store in one
 * file, a {@link TempoSessionRail} trusting the stack's escrow, and one agent under a policy.
 * Everything a process needs to continue a channel after a restart is in that file.
 */
public final class SessionFixture implements AutoCloseable {

  private final LedgerStore ledger;
  private final ChannelStore channels;
  private final TempoSessionRail rail;
  private final Wallet wallet;

  private SessionFixture(
      LedgerStore ledger, ChannelStore channels, TempoSessionRail rail, Wallet wallet) {
    this.ledger = ledger;
    this.channels = channels;
    this.rail = rail;
    this.wallet = wallet;
  }

  /**
   * Opens a fixture on {@code file}.
   *
   * @param rpcUrl the chain's JSON-RPC URL
   * @param escrow the session escrow the stack deployed
   * @param payer the dev account that pays
   * @param agent the agent name
   * @param policy the agent's policy
   */
  public static SessionFixture open(
      Path file,
      java.net.URI rpcUrl,
      String escrow,
      DevAccount payer,
      String agent,
      Policy policy,
      boolean upfrontVouchers) {
    Objects.requireNonNull(file, "file");
    return open(
        SqliteLedgerStore.open(file),
        JdbcChannelStore.sqlite(file),
        rpcUrl,
        escrow,
        payer,
        agent,
        policy,
        upfrontVouchers);
  }

  /**
   * Opens a fixture on the given stores (e.g. in memory, to measure what persistence costs).
   *
   * @param rpcUrl the chain's JSON-RPC URL
   * @param escrow the session escrow the stack deployed
   */
  public static SessionFixture open(
      LedgerStore ledger,
      ChannelStore channels,
      java.net.URI rpcUrl,
      String escrow,
      DevAccount payer,
      String agent,
      Policy policy,
      boolean upfrontVouchers) {
    TempoSessionConfig config =
        TempoSessionConfig.builder(LocalChain.CHAIN_ID)
            .asset(EvmAddress.parse(LocalChain.PATH_USD))
            .trustEscrow(SessionProtocol.V1, EvmAddress.parse(escrow))
            .maxDeposit(BigInteger.valueOf(1_000_000))
            .upfrontVouchers(upfrontVouchers)
            .build();
    TempoSessionRail rail =
        TempoSessionRail.builder(
                config, PrivateKeySigner.of(payer.privateKeyHex().toCharArray()), channels)
            .rpc(JsonRpcClient.create(rpcUrl))
            .ledger(ledger)
            .build();
    Wallet wallet = Wallet.builder().ledger(ledger).rail(rail).agent(agent, policy).build();
    return new SessionFixture(ledger, channels, rail, wallet);
  }

  /** A fixture on {@code file} paying the stack's session route from {@code payer}. */
  public static SessionFixture open(
      Path file, LocalStack stack, DevAccount payer, String agent, Policy policy) {
    return open(file, stack.rpcUrl(), stack.server().escrow(), payer, agent, policy, true);
  }

  /** The ledger. */
  public LedgerStore ledger() {
    return ledger;
  }

  /** The channel store. */
  public ChannelStore channels() {
    return channels;
  }

  /** The session rail. */
  public TempoSessionRail rail() {
    return rail;
  }

  /** The wallet (the payer to give an HTTP adapter). */
  public Wallet wallet() {
    return wallet;
  }

  /** Closes the rail (and its channels when configured), the channel store and the ledger. */
  @Override
  public void close() {
    rail.close();
    channels.close();
    wallet.close();
  }
}
