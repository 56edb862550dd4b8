package dev.mpp.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The curl-like part of {@code fetch} and {@code inspect}: what request to send, and how. */
final class RequestOptions {

  /** Which HTTP adapter sends the request. */
  enum Client {
    okhttp,
    jdk
  }

  @Parameters(index = "0", paramLabel = "URL", description = "The URL to fetch.")
  URI url;

  @Option(
      names = {"-X", "--request"},
      paramLabel = "METHOD",
      description = "HTTP method.")
  String method;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "K: V",
      description = "Request header (repeatable).")
  List<String> headers = new ArrayList<>();

  @Option(
      names = {"-d", "--data"},
      paramLabel = "STRING|@FILE",
      description = "Request body; @FILE reads a file.")
  String data;

  @Option(
      names = "--http-client",
      paramLabel = "okhttp|jdk",
      description = "HTTP client (default: okhttp).")
  Client client = Client.okhttp;

  @Option(
      names = "--insecure-allow-http",
      description = "Allow credentials over plain http to non-loopback hosts.")
  boolean insecureAllowHttp;

  URI url() {
    if (url.getScheme() == null || url.getHost() == null) {
      throw WalletOptions.usage("URL must be absolute, e.g. https://api.example.com/resource");
    }
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw WalletOptions.usage("URL scheme must be http or https");
    }
    return url;
  }

  String method() {
    if (method != null) {
      return method.toUpperCase(Locale.ROOT);
    }
    return data != null ? "POST" : "GET";
  }

  byte[] body() {
    if (data == null) {
      return null;
    }
    if (data.startsWith("@")) {
      try {
        return Files.readAllBytes(Path.of(data.substring(1)));
      } catch (IOException e) {
        throw WalletOptions.usage("cannot read " + data.substring(1));
      }
    }
    return data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  Map<String, String> headers() {
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String header : headers) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw WalletOptions.usage("header '" + header + "' must be 'Name: value'");
      }
      String name = header.substring(0, colon).strip();
      String value = header.substring(colon + 1).strip();
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || value.matches(".*[\\r\\n].*")) {
        throw WalletOptions.usage("header '" + name + "' is not a valid HTTP header");
      }
      parsed.put(name, value);
    }
    return parsed;
  }
}
