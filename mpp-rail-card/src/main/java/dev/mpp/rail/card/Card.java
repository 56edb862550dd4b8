package dev.mpp.rail.card;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A card the agent may pay with, as its card enabler describes it: what the merchant may see
 * (network, last four digits, expiry) and the cardholder data a merchant may ask for (billing
 * address, name, payment account reference). It holds no token and no card number.
 *
 * <p>{@link #toString()} shows the network and last four only: billing data, the name and the
 * payment account reference are personal data and never appear in logs.
 */
public final class Card {
  private static final Pattern NETWORK = Pattern.compile("[a-z][a-z0-9_-]{1,31}");
  private static final Pattern LAST_FOUR = Pattern.compile("[0-9]{4}");
  private static final Pattern MONTH = Pattern.compile("0[1-9]|1[0-2]");
  private static final Pattern YEAR = Pattern.compile("[0-9]{4}");

  private final String id;
  private final String network;
  private final String lastFour;
  private final String expirationMonth;
  private final String expirationYear;
  private final BillingAddress billingAddress;
  private final String cardholderName;
  private final String paymentAccountReference;

  private Card(Builder b) {
    this.id = require(b.id, "id");
    this.network = require(b.network, "network");
    this.lastFour = require(b.lastFour, "lastFour");
    this.expirationMonth = require(b.expirationMonth, "expiration month");
    this.expirationYear = require(b.expirationYear, "expiration year");
    this.billingAddress = b.billingAddress;
    this.cardholderName = b.cardholderName;
    this.paymentAccountReference = b.paymentAccountReference;
  }

  /**
   * Starts describing a card.
   *
   * @param id the enabler's identifier of the card (e.g. {@code card_abc123}), not the card number
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** The card enabler's identifier of this card. */
  public String id() {
    return id;
  }

  /** The card network, lower case: {@code visa}, {@code mastercard}, {@code amex} … */
  public String network() {
    return network;
  }

  /** The last four digits of the card number, as printed on the card. */
  public String lastFour() {
    return lastFour;
  }

  /** The card's expiration month, two digits ({@code 06}). */
  public String expirationMonth() {
    return expirationMonth;
  }

  /** The card's expiration year, four digits ({@code 2028}). */
  public String expirationYear() {
    return expirationYear;
  }

  /** The billing address, when the enabler has one. */
  public Optional<BillingAddress> billingAddress() {
    return Optional.ofNullable(billingAddress);
  }

  /** The cardholder's full name, when known. */
  public Optional<String> cardholderName() {
    return Optional.ofNullable(cardholderName);
  }

  /** The payment account reference (PAR), when the token service provided one. */
  public Optional<String> paymentAccountReference() {
    return Optional.ofNullable(paymentAccountReference);
  }

  /** Network and last four, e.g. {@code visa ••4242}: what ledgers and logs may show. */
  public String label() {
    return network + " ••" + lastFour;
  }

  @Override
  public String toString() {
    return "Card[" + label() + "]";
  }

  private static String require(String value, String name) {
    if (value == null) {
      throw invalid("a card needs its " + name);
    }
    return value;
  }

  private static ConfigurationException invalid(String message) {
    return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
  }

  /** Describes a {@link Card}; every setter validates its value, without echoing it. */
  public static final class Builder {
    private final String id;
    private String network;
    private String lastFour;
    private String expirationMonth;
    private String expirationYear;
    private BillingAddress billingAddress;
    private String cardholderName;
    private String paymentAccountReference;

    private Builder(String id) {
      Objects.requireNonNull(id, "id");
      if (id.isBlank() || id.length() > 128) {
        throw invalid("card id must be 1 to 128 characters");
      }
      this.id = id;
    }

    /** The card network, e.g. {@code visa} (stored lower case). */
    public Builder network(String network) {
      String lower = Objects.requireNonNull(network, "network").toLowerCase(Locale.ROOT);
      if (!NETWORK.matcher(lower).matches()) {
        throw invalid("card network must be a lower-case name such as visa");
      }
      this.network = lower;
      return this;
    }

    /** The last four digits of the card number. */
    public Builder lastFour(String lastFour) {
      if (lastFour == null || !LAST_FOUR.matcher(lastFour).matches()) {
        throw invalid("lastFour must be exactly four digits");
      }
      this.lastFour = lastFour;
      return this;
    }

    /**
     * The card's expiry.
     *
     * @param month two digits, {@code 01} to {@code 12}
     * @param year four digits
     */
    public Builder expiration(String month, String year) {
      if (month == null || !MONTH.matcher(month).matches()) {
        throw invalid("expiration month must be two digits, 01 to 12");
      }
      if (year == null || !YEAR.matcher(year).matches()) {
        throw invalid("expiration year must be four digits");
      }
      this.expirationMonth = month;
      this.expirationYear = year;
      return this;
    }

    /** The billing address, sent when a merchant requires it. */
    public Builder billingAddress(BillingAddress billingAddress) {
      this.billingAddress = Objects.requireNonNull(billingAddress, "billingAddress");
      return this;
    }

    /** The cardholder's full name. */
    public Builder cardholderName(String name) {
      this.cardholderName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The payment account reference (PAR) from the token service. */
    public Builder paymentAccountReference(String par) {
      this.paymentAccountReference = Objects.requireNonNull(par, "par");
      return this;
    }

    /**
     * Builds the card.
     *
     * @throws ConfigurationException if the network, last four or expiry is missing
     */
    public Card build() {
      return new Card(this);
    }
  }
}
