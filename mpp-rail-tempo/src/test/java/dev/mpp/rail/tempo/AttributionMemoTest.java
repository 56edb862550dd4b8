package dev.mpp.rail.tempo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expected values come from mppx 0.11.0's {@code Attribution.encode}. */
class AttributionMemoTest {

  @Test
  void anonymousClientMatchesReferenceImplementation() {
    assertThat(AttributionMemo.encode("api.example.com", null, "kM9xPqWvT2nJrHsY4aDfEb").toHex())
        .isEqualTo("0xef1ed712011ece072f76bd8b82350e000000000000000000001128fb265e760d");
  }

  @Test
  void namedClientMatchesReferenceImplementation() {
    assertThat(
            AttributionMemo.encode("api.example.com", "my-app", "kM9xPqWvT2nJrHsY4aDfEb").toHex())
        .isEqualTo("0xef1ed712011ece072f76bd8b82350e3a180fb9d0177aa2f3711128fb265e760d");
  }

  @Test
  void hashesStringsAsUtf8() {
    assertThat(AttributionMemo.encode("pay.例え.jp", "agent/7", "ünïcødé-✓").toHex())
        .isEqualTo("0xef1ed712017d72142a3cc53f476764e19c6983056779bc08f2fff6d4bda6a056");
  }

  @Test
  void emptyClientIdIsAnonymous() {
    assertThat(AttributionMemo.encode("r", "", "c"))
        .isEqualTo(AttributionMemo.encode("r", null, "c"));
  }

  @Test
  void bindingCheckIgnoresClientButNotRealmOrChallenge() {
    Memo memo = AttributionMemo.encode("api.example.com", "my-app", "abc");

    assertThat(AttributionMemo.isBoundTo(memo, "api.example.com", "abc")).isTrue();
    assertThat(AttributionMemo.isBoundTo(memo, "api.example.org", "abc")).isFalse();
    assertThat(AttributionMemo.isBoundTo(memo, "api.example.com", "abd")).isFalse();
  }
}
