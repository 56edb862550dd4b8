package dev.mpp.evm.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvmAddressTest {

  private static final String CHECKSUMMED = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

  @Test
  void comparesByValueNotByCase() {
    EvmAddress mixed = EvmAddress.parse(CHECKSUMMED);
    EvmAddress lower = EvmAddress.parse(CHECKSUMMED.toLowerCase());
    EvmAddress upper = EvmAddress.parse("0x" + CHECKSUMMED.substring(2).toUpperCase());

    assertThat(mixed).isEqualTo(lower).isEqualTo(upper).hasSameHashCodeAs(upper);
    assertThat(lower.toChecksumHex()).isEqualTo(CHECKSUMMED);
    assertThat(mixed.toLowerHex()).isEqualTo(CHECKSUMMED.toLowerCase());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "f39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb9226",
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb922666",
        "0xg39fd6e51aad88f6f4ce6ab8827279cfffb92266",
        // checksum broken in one letter's case
        "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
        // the draft spec's example recipient: its mixed case is not a valid checksum
        "0x742d35Cc6634C0532925a3b844Bc9e7595f8fE00",
        "0x\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663\u0663"
      })
  void rejectsMalformedAddressesWithoutEchoingThem(String text) {
    assertThat(EvmAddress.tryParse(text)).isEmpty();
    assertThatThrownBy(() -> EvmAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain(text.isEmpty() ? "\"\"" : text);
  }

  @Test
  void ofRequiresTwentyBytesAndCopies() {
    byte[] bytes = new byte[20];
    EvmAddress address = EvmAddress.of(bytes);
    bytes[0] = 1;

    assertThat(address.toBytes()[0]).isZero();
    assertThatThrownBy(() -> EvmAddress.of(new byte[21]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void didPkhUsesTheChecksummedAddress() {
    assertThat(DidPkh.eip155(4217, EvmAddress.parse(CHECKSUMMED.toLowerCase())))
        .isEqualTo("did:pkh:eip155:4217:" + CHECKSUMMED);
  }
}
