package dev.mpp.rail.tempo.session;

import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A channel as the escrow reports it.
 *
 * @param finalized whether the channel was closed (v1; always false for v2 state reads)
 * @param closeRequestedAt when the payer requested a forced close (unix seconds), 0 if not
 * @param payer the payer, or null when the escrow does not report it
 * @param payee the payee, or null when the escrow does not report it
 * @param token the token, or null when the escrow does not report it
 * @param authorizedSigner the voucher signer, or null when the escrow does not report it
 * @param deposit the total deposited
 * @param settled the amount already paid out to the payee
 */
public record EscrowChannel(
    boolean finalized,
    long closeRequestedAt,
    EvmAddress payer,
    EvmAddress payee,
    EvmAddress token,
    EvmAddress authorizedSigner,
    BigInteger deposit,
    BigInteger settled) {

  /** Validates the components. */
  public EscrowChannel {
    Objects.requireNonNull(deposit, "deposit");
    Objects.requireNonNull(settled, "settled");
  }

  /** Whether the escrow knows the channel (a v1 escrow reports an unknown id as all zeros). */
  public boolean exists() {
    return finalized || deposit.signum() > 0 || (payer != null && !isZero(payer));
  }

  /** Whether vouchers on this channel can still be accepted and settled. */
  public boolean usable() {
    return exists() && !finalized && closeRequestedAt == 0;
  }

  private static boolean isZero(EvmAddress address) {
    for (byte b : address.toBytes()) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
