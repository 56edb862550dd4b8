package dev.mpp.rail.tempo;

import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.signer.Signature;
import dev.mpp.evm.signer.Signer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.web3j.crypto.Hash;
import org.web3j.rlp.RlpDecoder;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

/**
 * An immutable Tempo transaction (EIP-2718 type {@code 0x76}), as used by payment credentials.
 *
 * <pre>
 * 0x76 ‖ rlp([chainId, maxPriorityFeePerGas, maxFeePerGas, gas, calls, accessList, nonceKey,
 *             nonce, validBefore, validAfter, feeToken, feePayerSlot, authorizationList,
 *             signature?])
 * </pre>
 *
 * <p>Integers are minimal big-endian (zero is the empty string); {@code calls} is a list of {@code
 * [to, value, input]}; the sender signature is one 65-byte string {@code r ‖ s ‖ v} (v = 27/28).
 * The signing hash is {@code keccak256} of the encoding without the signature.
 *
 * <p>Fee sponsorship: a {@linkplain Builder#sponsored() sponsored} transaction carries the
 * single-byte placeholder {@code 0x00} in the fee-payer slot and no fee token, so the server can
 * pick the fee token and co-sign; otherwise the slot is empty and the sender names its fee token.
 *
 * <p>Access lists, authorization lists and key authorizations are always empty/absent: payments
 * never need them and sponsoring servers reject them.
 */
public final class TempoTransaction {

  /** The EIP-2718 transaction type byte. */
  public static final int TYPE = 0x76;

  /** The nonce key selecting Tempo's expiring-nonce lane: 2^256 − 1. */
  public static final BigInteger EXPIRING_NONCE_KEY =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  private static final byte[] SPONSORED_MARKER = {0x00};
  private static final int UNSIGNED_FIELDS = 13;

  private final long chainId;
  private final BigInteger maxPriorityFeePerGas;
  private final BigInteger maxFeePerGas;
  private final long gas;
  private final List<TempoCall> calls;
  private final BigInteger nonceKey;
  private final long nonce;
  private final long validBefore; // 0 = absent
  private final long validAfter; // 0 = absent
  private final EvmAddress feeToken; // null = absent
  private final boolean sponsored;
  private final Signature signature; // null = unsigned

  private TempoTransaction(Builder b, Signature signature) {
    this.chainId = b.chainId;
    this.maxPriorityFeePerGas = b.maxPriorityFeePerGas;
    this.maxFeePerGas = b.maxFeePerGas;
    this.gas = b.gas;
    this.calls = List.copyOf(b.calls);
    this.nonceKey = b.nonceKey;
    this.nonce = b.nonce;
    this.validBefore = b.validBefore;
    this.validAfter = b.validAfter;
    this.feeToken = b.feeToken;
    this.sponsored = b.sponsored;
    this.signature = signature;
  }

  /** Returns a builder for a transaction on {@code chainId}. */
  public static Builder builder(long chainId) {
    return new Builder(chainId);
  }

  /**
   * An unsigned transaction of {@code calls} with Tempo's expiring nonce ({@code nonceKey =
   * 2^256−1}, {@code nonce = 0}), so concurrent payments from one account never contend for nonces
   * and an unused credential dies by itself at {@code validBefore}. What both Tempo rails sign.
   *
   * @param feeToken the token the payer pays fees in, or null when the server sponsors them
   */
  public static TempoTransaction expiring(
      long chainId, List<TempoCall> calls, TempoFees fees, long validBefore, EvmAddress feeToken) {
    Builder tx =
        builder(chainId)
            .gas(fees.gas())
            .maxFeePerGas(fees.maxFeePerGas())
            .maxPriorityFeePerGas(fees.maxPriorityFeePerGas())
            .expiringNonce()
            .validBefore(validBefore);
    calls.forEach(tx::call);
    if (feeToken == null) {
      tx.sponsored();
    } else {
      tx.feeToken(feeToken);
    }
    return tx.build();
  }

  /** Returns a builder pre-filled with this transaction's fields (without its signature). */
  public Builder toBuilder() {
    Builder b = new Builder(chainId);
    b.maxPriorityFeePerGas = maxPriorityFeePerGas;
    b.maxFeePerGas = maxFeePerGas;
    b.gas = gas;
    b.calls.addAll(calls);
    b.nonceKey = nonceKey;
    b.nonce = nonce;
    b.validBefore = validBefore;
    b.validAfter = validAfter;
    b.feeToken = feeToken;
    b.sponsored = sponsored;
    return b;
  }

  /** Returns the chain id. */
  public long chainId() {
    return chainId;
  }

  /** Returns the priority fee cap per gas. */
  public BigInteger maxPriorityFeePerGas() {
    return maxPriorityFeePerGas;
  }

  /** Returns the total fee cap per gas. */
  public BigInteger maxFeePerGas() {
    return maxFeePerGas;
  }

  /** Returns the gas limit. */
  public long gas() {
    return gas;
  }

  /** Returns the calls, in execution order. */
  public List<TempoCall> calls() {
    return calls;
  }

  /** Returns the 2D-nonce lane. */
  public BigInteger nonceKey() {
    return nonceKey;
  }

  /** Returns the nonce within the lane. */
  public long nonce() {
    return nonce;
  }

  /** Returns the exclusive upper bound of the validity window (unix seconds), if set. */
  public OptionalLong validBefore() {
    return validBefore == 0 ? OptionalLong.empty() : OptionalLong.of(validBefore);
  }

  /** Returns the lower bound of the validity window (unix seconds), if set. */
  public OptionalLong validAfter() {
    return validAfter == 0 ? OptionalLong.empty() : OptionalLong.of(validAfter);
  }

  /** Returns the token the sender pays fees in; empty when sponsored or left to the chain. */
  public Optional<EvmAddress> feeToken() {
    return Optional.ofNullable(feeToken);
  }

  /** Returns whether the transaction asks a fee payer to sponsor it (slot {@code 0x00}). */
  public boolean sponsored() {
    return sponsored;
  }

  /** Returns the sender signature, if signed. */
  public Optional<Signature> signature() {
    return Optional.ofNullable(signature);
  }

  /** Returns {@code 0x76 ‖ rlp(fields without the signature)}: the sender's signing preimage. */
  public byte[] encodeUnsigned() {
    return envelope(fields(null));
  }

  /** Returns the sender signing hash: {@code keccak256(encodeUnsigned())}. */
  public byte[] signingHash() {
    return Hash.sha3(encodeUnsigned());
  }

  /**
   * Returns the signed serialization: {@code 0x76 ‖ rlp(fields ‖ signature)}.
   *
   * @throws IllegalStateException if the transaction is unsigned
   */
  public byte[] encodeSigned() {
    if (signature == null) {
      throw new IllegalStateException("transaction is not signed");
    }
    return envelope(fields(signature));
  }

  /**
   * Returns the transaction hash: {@code keccak256(encodeSigned())}. For a sponsored transaction
   * this is not the hash it will have on chain, because the fee payer fills its slot first.
   */
  public byte[] txHash() {
    return Hash.sha3(encodeSigned());
  }

  /** Returns a copy of this transaction carrying {@code signature}. */
  public TempoTransaction withSignature(Signature signature) {
    return new TempoTransaction(toBuilder(), Objects.requireNonNull(signature, "signature"));
  }

  /** Signs the signing hash with {@code signer} and returns the signed copy. */
  public TempoTransaction sign(Signer signer) {
    return withSignature(signer.sign(signingHash()));
  }

  /**
   * Recovers the sender from the signature.
   *
   * @throws IllegalStateException if the transaction is unsigned
   */
  public EvmAddress recoverSender() {
    if (signature == null) {
      throw new IllegalStateException("transaction is not signed");
    }
    return signature.recoverSigner(signingHash());
  }

  private List<RlpType> fields(Signature signature) {
    List<RlpType> fields = new ArrayList<>(UNSIGNED_FIELDS + 1);
    fields.add(RlpString.create(chainId));
    fields.add(RlpString.create(maxPriorityFeePerGas));
    fields.add(RlpString.create(maxFeePerGas));
    fields.add(RlpString.create(gas));
    List<RlpType> encodedCalls = new ArrayList<>(calls.size());
    for (TempoCall call : calls) {
      encodedCalls.add(
          new RlpList(
              RlpString.create(call.to().toBytes()),
              RlpString.create(call.value()),
              RlpString.create(call.inputUnsafe())));
    }
    fields.add(new RlpList(encodedCalls));
    fields.add(new RlpList()); // accessList
    fields.add(RlpString.create(nonceKey));
    fields.add(RlpString.create(nonce));
    fields.add(RlpString.create(validBefore));
    fields.add(RlpString.create(validAfter));
    fields.add(RlpString.create(feeToken == null ? new byte[0] : feeToken.toBytes()));
    fields.add(RlpString.create(sponsored ? SPONSORED_MARKER : new byte[0]));
    fields.add(new RlpList()); // authorizationList
    if (signature != null) {
      fields.add(RlpString.create(signature.toBytes()));
    }
    return fields;
  }

  private static byte[] envelope(List<RlpType> fields) {
    byte[] rlp = RlpEncoder.encode(new RlpList(fields));
    byte[] out = new byte[rlp.length + 1];
    out[0] = (byte) TYPE;
    System.arraycopy(rlp, 0, out, 1, rlp.length);
    return out;
  }

  /**
   * Decodes a transaction this class can represent (signed or unsigned), rejecting non-canonical
   * encodings and features it does not model (access lists, authorization lists, key
   * authorizations, fee-payer co-signatures, non-secp256k1 signatures).
   *
   * @throws IllegalArgumentException if the bytes are not such a transaction
   */
  public static TempoTransaction decode(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length < 2 || (encoded[0] & 0xff) != TYPE) {
      throw new IllegalArgumentException("not a 0x76 Tempo transaction");
    }
    List<RlpType> top;
    try {
      top = RlpDecoder.decode(Arrays.copyOfRange(encoded, 1, encoded.length)).getValues();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed RLP");
    }
    if (top.size() != 1 || !(top.get(0) instanceof RlpList list)) {
      throw new IllegalArgumentException("expected one RLP list");
    }
    List<RlpType> f = list.getValues();
    if (f.size() != UNSIGNED_FIELDS && f.size() != UNSIGNED_FIELDS + 1) {
      throw new IllegalArgumentException("unsupported field count " + f.size());
    }
    Builder b = new Builder(uint(f, 0, 63).longValueExact());
    b.maxPriorityFeePerGas(uint(f, 1, 256));
    b.maxFeePerGas(uint(f, 2, 256));
    b.gas(uint(f, 3, 63).longValueExact());
    for (RlpType c : list(f, 4)) {
      if (!(c instanceof RlpList call) || call.getValues().size() != 3) {
        throw new IllegalArgumentException("a call must be [to, value, input]");
      }
      List<RlpType> parts = call.getValues();
      byte[] to = string(parts, 0);
      if (to.length != 20) {
        throw new IllegalArgumentException("call target must be a 20-byte address");
      }
      b.call(TempoCall.of(EvmAddress.of(to), uint(parts, 1, 256), string(parts, 2)));
    }
    if (!list(f, 5).isEmpty()) {
      throw new IllegalArgumentException("access lists are not supported");
    }
    b.nonceKey(uint(f, 6, 256));
    b.nonce(uint(f, 7, 63).longValueExact());
    long before = uint(f, 8, 63).longValueExact();
    long after = uint(f, 9, 63).longValueExact();
    if (before != 0) {
      b.validBefore(before);
    }
    if (after != 0) {
      b.validAfter(after);
    }
    byte[] feeToken = string(f, 10);
    if (feeToken.length == 20) {
      b.feeToken(EvmAddress.of(feeToken));
    } else if (feeToken.length != 0) {
      throw new IllegalArgumentException("fee token must be empty or a 20-byte address");
    }
    if (!(f.get(11) instanceof RlpString slot)) {
      throw new IllegalArgumentException("fee payer co-signatures are not supported");
    }
    byte[] slotBytes = slot.getBytes();
    if (Arrays.equals(slotBytes, SPONSORED_MARKER)) {
      b.sponsored();
    } else if (slotBytes.length != 0) {
      throw new IllegalArgumentException("unsupported fee payer slot");
    }
    if (!list(f, 12).isEmpty()) {
      throw new IllegalArgumentException("authorization lists are not supported");
    }
    Signature signature = null;
    if (f.size() == UNSIGNED_FIELDS + 1) {
      if (!(f.get(13) instanceof RlpString sig) || sig.getBytes().length != Signature.LENGTH) {
        throw new IllegalArgumentException(
            "only 65-byte secp256k1 signatures are supported (no key authorization)");
      }
      signature = Signature.fromBytes(sig.getBytes());
    }
    TempoTransaction tx = new TempoTransaction(b.validated(), signature);
    byte[] canonical = signature == null ? tx.encodeUnsigned() : tx.encodeSigned();
    if (!Arrays.equals(canonical, encoded)) {
      throw new IllegalArgumentException("non-canonical encoding");
    }
    return tx;
  }

  private static byte[] string(List<RlpType> fields, int index) {
    if (!(fields.get(index) instanceof RlpString s)) {
      throw new IllegalArgumentException("field " + index + " must be a string");
    }
    return s.getBytes();
  }

  private static List<RlpType> list(List<RlpType> fields, int index) {
    if (!(fields.get(index) instanceof RlpList l)) {
      throw new IllegalArgumentException("field " + index + " must be a list");
    }
    return l.getValues();
  }

  private static BigInteger uint(List<RlpType> fields, int index, int maxBits) {
    BigInteger value = new BigInteger(1, string(fields, index));
    if (value.bitLength() > maxBits) {
      throw new IllegalArgumentException("field " + index + " is too large");
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TempoTransaction other
        && Arrays.equals(
            signature == null ? encodeUnsigned() : encodeSigned(),
            other.signature == null ? other.encodeUnsigned() : other.encodeSigned());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signature == null ? encodeUnsigned() : encodeSigned());
  }

  @Override
  public String toString() {
    return "TempoTransaction[chainId="
        + chainId
        + ", calls="
        + calls.size()
        + ", gas="
        + gas
        + ", maxFeePerGas="
        + maxFeePerGas
        + ", validBefore="
        + validBefore
        + ", sponsored="
        + sponsored
        + ", signed="
        + (signature != null)
        + "]";
  }

  /** Builds a {@link TempoTransaction}; unset numeric fields are zero (encoded empty). */
  public static final class Builder {
    private final long chainId;
    private BigInteger maxPriorityFeePerGas = BigInteger.ZERO;
    private BigInteger maxFeePerGas = BigInteger.ZERO;
    private long gas;
    private final List<TempoCall> calls = new ArrayList<>();
    private BigInteger nonceKey = BigInteger.ZERO;
    private long nonce;
    private long validBefore;
    private long validAfter;
    private EvmAddress feeToken;
    private boolean sponsored;

    private Builder(long chainId) {
      if (chainId <= 0) {
        throw new IllegalArgumentException("chainId must be positive");
      }
      this.chainId = chainId;
    }

    /** Sets the priority fee cap per gas (wei-like units of the chain). */
    public Builder maxPriorityFeePerGas(BigInteger value) {
      this.maxPriorityFeePerGas = uint256(value, "maxPriorityFeePerGas");
      return this;
    }

    /** Sets the total fee cap per gas. */
    public Builder maxFeePerGas(BigInteger value) {
      this.maxFeePerGas = uint256(value, "maxFeePerGas");
      return this;
    }

    /** Sets the gas limit. */
    public Builder gas(long gas) {
      if (gas < 0) {
        throw new IllegalArgumentException("gas must be non-negative");
      }
      this.gas = gas;
      return this;
    }

    /** Appends a call. */
    public Builder call(TempoCall call) {
      calls.add(Objects.requireNonNull(call, "call"));
      return this;
    }

    /** Sets the 2D-nonce lane (a uint256). */
    public Builder nonceKey(BigInteger nonceKey) {
      this.nonceKey = uint256(nonceKey, "nonceKey");
      return this;
    }

    /** Sets the nonce within the lane. */
    public Builder nonce(long nonce) {
      if (nonce < 0) {
        throw new IllegalArgumentException("nonce must be non-negative");
      }
      this.nonce = nonce;
      return this;
    }

    /**
     * Uses Tempo's expiring-nonce lane: {@code nonceKey = 2^256 − 1}, {@code nonce = 0}; the
     * transaction is replay-protected by its hash until {@code validBefore}, which must be set.
     */
    public Builder expiringNonce() {
      this.nonceKey = EXPIRING_NONCE_KEY;
      this.nonce = 0;
      return this;
    }

    /** Sets the exclusive upper bound of the validity window (unix seconds, positive). */
    public Builder validBefore(long unixSeconds) {
      if (unixSeconds <= 0) {
        throw new IllegalArgumentException("validBefore must be positive");
      }
      this.validBefore = unixSeconds;
      return this;
    }

    /** Sets the lower bound of the validity window (unix seconds, positive). */
    public Builder validAfter(long unixSeconds) {
      if (unixSeconds <= 0) {
        throw new IllegalArgumentException("validAfter must be positive");
      }
      this.validAfter = unixSeconds;
      return this;
    }

    /** Sets the TIP-20 token the sender pays fees in (not allowed when sponsored). */
    public Builder feeToken(EvmAddress feeToken) {
      this.feeToken = Objects.requireNonNull(feeToken, "feeToken");
      return this;
    }

    /** Marks the transaction for fee sponsorship (fee-payer slot {@code 0x00}, no fee token). */
    public Builder sponsored() {
      this.sponsored = true;
      return this;
    }

    /**
     * Builds the unsigned transaction.
     *
     * @throws IllegalStateException if there are no calls, a sponsored transaction names a fee
     *     token, the expiring-nonce lane is used without {@code validBefore}, the validity window
     *     is empty, or the priority fee exceeds a non-zero fee cap
     */
    public TempoTransaction build() {
      return new TempoTransaction(validated(), null);
    }

    private Builder validated() {
      if (calls.isEmpty()) {
        throw new IllegalStateException("a transaction needs at least one call");
      }
      if (sponsored && feeToken != null) {
        throw new IllegalStateException("a sponsored transaction must not name a fee token");
      }
      if (nonceKey.equals(EXPIRING_NONCE_KEY) && (validBefore == 0 || nonce != 0)) {
        throw new IllegalStateException("an expiring nonce needs nonce 0 and validBefore");
      }
      if (validBefore != 0 && validAfter != 0 && validBefore <= validAfter) {
        throw new IllegalStateException("validBefore must be after validAfter");
      }
      if (maxFeePerGas.signum() > 0 && maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
        throw new IllegalStateException("maxPriorityFeePerGas exceeds maxFeePerGas");
      }
      return this;
    }

    private static BigInteger uint256(BigInteger value, String name) {
      Objects.requireNonNull(value, name);
      if (value.signum() < 0 || value.bitLength() > 256) {
        throw new IllegalArgumentException(name + " must be a uint256");
      }
      return value;
    }
  }
}
