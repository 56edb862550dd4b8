package dev.mpp.rail.tempo.session;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One channel as the client persists it, written before every voucher is sent. Immutable: changes
 * produce a new state with the next {@link #version()}, which {@link ChannelStore#update} compares
 * and sets.
 *
 * @param key what the channel is kept for
 * @param channelId the channel id
 * @param descriptor the parties, token, salt and signer that hash to the id
 * @param deposit the total deposited (as far as the client knows)
 * @param highestSigned the highest cumulative amount ever signed: the most the payee can claim
 * @param accepted the highest cumulative amount the server confirmed in a receipt
 * @param spent what the server reported as spent in its latest receipt
 * @param holdIds the ledger holds (deposit, then one per top-up) vouchers capture from, in order
 * @param status the channel's state
 * @param url the last URL paid through the channel (close and top-up requests go there)
 * @param openTxHash the open transaction's hash, when known
 * @param closeTxHash the close transaction's hash, once closed cooperatively
 * @param settled the amount the payee finally received, once closed
 * @param createdAt when the channel was created
 * @param updatedAt when the state last changed
 * @param version incremented by every change
 */
public record ChannelState(
    ChannelKey key,
    Bytes32 channelId,
    ChannelDescriptor descriptor,
    BigInteger deposit,
    BigInteger highestSigned,
    BigInteger accepted,
    BigInteger spent,
    List<String> holdIds,
    ChannelStatus status,
    String url,
    String openTxHash,
    String closeTxHash,
    BigInteger settled,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  /** Validates the components and copies the hold list. */
  public ChannelState {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(deposit, "deposit");
    Objects.requireNonNull(highestSigned, "highestSigned");
    Objects.requireNonNull(accepted, "accepted");
    Objects.requireNonNull(spent, "spent");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    holdIds = List.copyOf(holdIds);
    for (String id : holdIds) {
      if (id.isEmpty() || id.contains(",")) {
        throw new IllegalArgumentException("hold ids must be non-empty and contain no comma");
      }
    }
    if (deposit.signum() < 0 || highestSigned.signum() < 0 || accepted.signum() < 0) {
      throw new IllegalArgumentException("amounts must not be negative");
    }
    if (highestSigned.compareTo(deposit) > 0) {
      throw new IllegalArgumentException("highestSigned exceeds the deposit");
    }
  }

  /** The deposit not yet authorized by any voucher. */
  public BigInteger unspent() {
    return deposit.subtract(highestSigned);
  }

  /** This state with the next version and update time; the caller sets what changed. */
  public Builder next(Instant at) {
    return new Builder(this, at);
  }

  /** Changes one state into the next. */
  public static final class Builder {
    private final ChannelState base;
    private final Instant at;
    private BigInteger deposit;
    private BigInteger highestSigned;
    private BigInteger accepted;
    private BigInteger spent;
    private final List<String> holdIds;
    private ChannelStatus status;
    private String url;
    private String openTxHash;
    private String closeTxHash;
    private BigInteger settled;

    private Builder(ChannelState base, Instant at) {
      this.base = base;
      this.at = Objects.requireNonNull(at, "at");
      this.deposit = base.deposit;
      this.highestSigned = base.highestSigned;
      this.accepted = base.accepted;
      this.spent = base.spent;
      this.holdIds = new ArrayList<>(base.holdIds);
      this.status = base.status;
      this.url = base.url;
      this.openTxHash = base.openTxHash;
      this.closeTxHash = base.closeTxHash;
      this.settled = base.settled;
    }

    /** Sets the deposit. */
    public Builder deposit(BigInteger deposit) {
      this.deposit = deposit;
      return this;
    }

    /** Sets the highest signed amount. */
    public Builder highestSigned(BigInteger amount) {
      this.highestSigned = amount;
      return this;
    }

    /** Raises the accepted amount to {@code amount} if higher. */
    public Builder accepted(BigInteger amount) {
      this.accepted = accepted.max(amount);
      return this;
    }

    /** Raises the reported spent amount to {@code amount} if higher. */
    public Builder spent(BigInteger amount) {
      this.spent = spent.max(amount);
      return this;
    }

    /** Appends a hold. */
    public Builder addHold(String holdId) {
      holdIds.add(holdId);
      return this;
    }

    /** Sets the status. */
    public Builder status(ChannelStatus status) {
      this.status = status;
      return this;
    }

    /** Sets the last URL. */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /** Sets the open transaction's hash. */
    public Builder openTxHash(String hash) {
      this.openTxHash = hash;
      return this;
    }

    /** Sets the close transaction's hash. */
    public Builder closeTxHash(String hash) {
      this.closeTxHash = hash;
      return this;
    }

    /** Sets the finally settled amount. */
    public Builder settled(BigInteger amount) {
      this.settled = amount;
      return this;
    }

    /** The next state. */
    public ChannelState build() {
      return new ChannelState(
          base.key,
          base.channelId,
          base.descriptor,
          deposit,
          highestSigned,
          accepted,
          spent,
          holdIds,
          status,
          url,
          openTxHash,
          closeTxHash,
          settled,
          base.createdAt,
          at,
          base.version + 1);
    }
  }
}
