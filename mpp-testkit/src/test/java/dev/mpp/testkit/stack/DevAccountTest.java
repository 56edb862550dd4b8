package dev.mpp.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DevAccountTest {

  @Test
  void toStringShowsTheAddressButNeverTheKey() {
    DevAccount account = DevAccount.get(0);

    assertThat(account.toString())
        .contains(account.address())
        .doesNotContain(account.privateKeyHex().substring(2, 18));
  }

  @Test
  void tenDistinctAccountsInDerivationOrder() {
    assertThat(DevAccount.all()).hasSize(10);
    assertThat(DevAccount.all())
        .extracting(DevAccount::index)
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(DevAccount.all()).extracting(DevAccount::address).doesNotHaveDuplicates();
    assertThat(DevAccount.all()).extracting(DevAccount::privateKeyHex).doesNotHaveDuplicates();
  }

  @Test
  void indexOutsideTheFundedRangeIsRejected() {
    assertThatThrownBy(() -> DevAccount.get(10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DevAccount.get(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedKeyIsRejectedWithoutEchoingIt() {
    String badKey = "0x" + "zz".repeat(32);

    assertThatThrownBy(() -> new DevAccount(0, DevAccount.get(0).address(), badKey))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain(badKey);
  }
}
