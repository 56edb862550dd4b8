package dev.mpp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginsTest {
  @ParameterizedTest
  @CsvSource({
    "https://Example.Invalid/a?b#c, https://example.invalid:443",
    "HTTP://127.0.0.1/, http://127.0.0.1:80",
    "http://127.0.0.1:8080, http://127.0.0.1:8080",
    "http://[::1]/, http://[0:0:0:0:0:0:0:1]:80",
    "http://[0:0:0:0:0:0:0:1]:80/, http://[0:0:0:0:0:0:0:1]:80",
    "https://[2001:DB8::1]:8443/, https://[2001:db8:0:0:0:0:0:1]:8443",
    "https://user:pw@127.0.0.1/, https://127.0.0.1:443"
  })
  void serializesOrigins(String url, String origin) {
    assertThat(Origins.of(URI.create(url))).isEqualTo(origin);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost/",
        "http://LocalHost:1/",
        "http://a.b.localhost/",
        "http://127.0.0.1/",
        "http://127.255.255.254/",
        "http://[::1]/",
        "http://[0:0:0:0:0:0:0:1]/",
        "http://[::0001]/"
      })
  void loopbackByLiteral(String url) {
    assertThat(Origins.isLoopback(URI.create(url))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost.invalid/",
        "http://127.0.0.1.invalid/",
        "http://128.0.0.1/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://[::2]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://notlocalhost/"
      })
  void notLoopback(String url) {
    assertThat(Origins.isLoopback(URI.create(url))).isFalse();
  }
}
