package dev.mpp.testkit.scenario;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.wire.Problem;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A response as a scenario sees it, independent of the HTTP library.
 *
 * @param status the status code
 * @param headers the headers (names compared case-insensitively)
 * @param body the body as UTF-8 text, fully read
 * @param url the URL that produced the response
 * @param record the payment record from the adapter's accessor
 * @param problem the problem details from the adapter's accessor
 */
public record HttpReply(
    int status,
    Map<String, List<String>> headers,
    String body,
    URI url,
    Optional<PaymentRecord> record,
    Optional<Problem> problem) {

  /** Copies the headers into a case-insensitive map. */
  public HttpReply {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    headers = copy;
  }

  /** The first value of a header, if present. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
