package dev.mpp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorsTest {
  static final Set<ErrorCode> PROTOCOL =
      EnumSet.of(
          ErrorCode.MALFORMED_CHALLENGE,
          ErrorCode.HEADER_TOO_LARGE,
          ErrorCode.MALFORMED_REQUEST,
          ErrorCode.INVALID_AMOUNT,
          ErrorCode.MALFORMED_CREDENTIAL,
          ErrorCode.MALFORMED_RECEIPT,
          ErrorCode.MALFORMED_PROBLEM,
          ErrorCode.MALFORMED_ACCEPT_PAYMENT,
          ErrorCode.MALFORMED_DIGEST,
          ErrorCode.UNSAFE_HEADER_VALUE);
  static final Set<ErrorCode> REFUSED =
      EnumSet.of(
          ErrorCode.NO_PAYMENT_CHALLENGE,
          ErrorCode.CHALLENGE_EXPIRED,
          ErrorCode.DIGEST_MISMATCH,
          ErrorCode.INSECURE_TRANSPORT,
          ErrorCode.CROSS_ORIGIN,
          ErrorCode.BODY_NOT_REPLAYABLE,
          ErrorCode.NO_PAYABLE_OFFER,
          ErrorCode.UNSUPPORTED_REQUEST);
  static final Set<ErrorCode> DENIED =
      EnumSet.of(ErrorCode.POLICY_DENIED, ErrorCode.BUDGET_EXPIRED, ErrorCode.APPROVAL_DENIED);
  static final Set<ErrorCode> FAILED =
      EnumSet.of(ErrorCode.RAIL_FAILED, ErrorCode.LEDGER_FAILURE, ErrorCode.PAYMENT_REJECTED);

  static void acceptsExactly(
      Set<ErrorCode> codes, ErrorCode code, Function<ErrorCode, MppException> make) {
    if (codes.contains(code)) {
      MppException e = make.apply(code);
      assertThat(e.code()).isEqualTo(code);
      assertThat(e).isInstanceOf(RuntimeException.class);
    } else {
      assertThatThrownBy(() -> make.apply(code)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyCodeBelongsToExactlyOneExceptionType(ErrorCode code) {
    int owners = 0;
    for (Set<ErrorCode> set : java.util.List.of(PROTOCOL, REFUSED, DENIED, FAILED)) {
      owners += set.contains(code) ? 1 : 0;
    }
    owners += code == ErrorCode.OUTCOME_UNKNOWN || code == ErrorCode.INVALID_CONFIGURATION ? 1 : 0;
    assertThat(owners).isEqualTo(1);

    acceptsExactly(PROTOCOL, code, c -> new ProtocolException(c, "m"));
    acceptsExactly(REFUSED, code, c -> new PaymentRefusedException(c, "m"));
    acceptsExactly(FAILED, code, c -> new PaymentFailedException(c, "m"));
    acceptsExactly(
        EnumSet.of(ErrorCode.INVALID_CONFIGURATION), code, c -> new ConfigurationException(c, "m"));
    acceptsExactly(
        DENIED, code, c -> new PaymentDeniedException(c, "rule", null, null, null, null, "m"));
  }

  @Test
  void theHierarchyIsSealed() {
    assertThat(MppException.class.isSealed()).isTrue();
    assertThat(MppException.class.getPermittedSubclasses())
        .containsExactlyInAnyOrder(
            ProtocolException.class,
            PaymentRefusedException.class,
            PaymentDeniedException.class,
            PaymentFailedException.class,
            PaymentOutcomeUnknownException.class,
            ConfigurationException.class);
  }

  @Test
  void toStringNamesTypeCodeAndMessage() {
    ProtocolException e =
        new ProtocolException(ErrorCode.MALFORMED_RECEIPT, "receipt has no reference");

    assertThat(e).hasToString("ProtocolException[MALFORMED_RECEIPT]: receipt has no reference");
  }

  @Test
  void aDenialCarriesTheRuleAndAmounts() {
    PaymentDeniedException e =
        new PaymentDeniedException(
            ErrorCode.POLICY_DENIED,
            "fleet:acme/cap/day",
            new BigDecimal("1.50"),
            new BigDecimal("10"),
            new BigDecimal("0.25"),
            null,
            "daily cap");

    assertThat(e.rule()).isEqualTo("fleet:acme/cap/day");
    assertThat(e.amount()).contains(new BigDecimal("1.50"));
    assertThat(e.limit()).contains(new BigDecimal("10"));
    assertThat(e.remaining()).contains(new BigDecimal("0.25"));
    assertThat(e.unit()).isEqualTo("usd");
  }

  @Test
  void outcomeUnknownCarriesItsRecord() {
    assertThat(new PaymentOutcomeUnknownException("lost", null, null).record()).isEmpty();
    assertThat(new PaymentOutcomeUnknownException("lost", null, null).code())
        .isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
  }
}
