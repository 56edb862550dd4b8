package dev.mpp.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base64UrlTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|''",
        "f|Zg",
        "fo|Zm8",
        "foo|Zm9v",
        "{\"a\":1}|eyJhIjoxfQ",
        "?>?|Pz4_",
        "\u00ff\u00fe|w7_Dvg"
      })
  void encodesUtf8WithoutPaddingInTheUrlAlphabet(String text, String encoded) {
    assertThat(Base64Url.encodeUtf8(text)).isEqualTo(encoded);
    assertThat(Base64Url.decodeUtf8(encoded)).isEqualTo(text);
  }

  @Test
  void decodesWithOrWithoutPadding() {
    assertThat(Base64Url.decode("Zg")).containsExactly('f');
    assertThat(Base64Url.decode("Zg==")).containsExactly('f');
    assertThat(Base64Url.decode("")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-valid!!!", "Zm9v+g", "Zm9v/g", "Zm 9v", "Z", "Zm9v\n"})
  void refusesWhatIsNotBase64UrlWithoutNamingTheInput(String text) {
    assertThatThrownBy(() -> Base64Url.decode(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not base64url (RFC 4648 §5)");
  }

  @Test
  void refusesBytesThatAreNotUtf8InsteadOfReplacingThem() {
    assertThat(Base64Url.decode("_w")).containsExactly((byte) 0xff);
    assertThatThrownBy(() -> Base64Url.decodeUtf8("_w"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("decoded bytes are not UTF-8");
  }

  @Test
  void refusesTextWithoutAUtf8Form() {
    assertThatThrownBy(() -> Base64Url.encodeUtf8("a\ud800"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encodesBytes() {
    assertThat(Base64Url.encode("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo("aGVsbG8");
    assertThat(Base64Url.encode(new byte[] {(byte) 0xfb, (byte) 0xff})).isEqualTo("-_8");
  }
}
