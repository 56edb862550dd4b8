package dev.mpp.okhttp;

import dev.mpp.client.Exchange;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/** One logical request through an OkHttp interceptor chain, as the payment flow sees it. */
final class OkHttpExchange implements Exchange<Response> {
  private final Interceptor.Chain chain;
  private final Request request;

  OkHttpExchange(Interceptor.Chain chain, Request request) {
    this.chain = chain;
    this.request = request;
  }

  @Override
  public Response send(Map<String, String> headers) throws IOException {
    Request.Builder builder = request.newBuilder();
    headers.forEach(builder::header);
    // Only the flow's TransportRetry may resend a credential: OkHttp's silent retry would bypass
    // its idempotency rules, so it is off for the paid attempt. Cross-origin redirects below this
    // interceptor drop the Authorization header (RetryAndFollowUpInterceptor), which the shared
    // scenario suite verifies.
    Interceptor.Chain next =
        headers.containsKey("Authorization") ? chain.withRetryOnConnectionFailure(false) : chain;
    return next.proceed(builder.build());
  }

  @Override
  public int status(Response response) {
    return response.code();
  }

  /**
   * A receipt may come with a redirect the paid attempt followed (pay, then 302 to the content):
   * when the final response has none, the redirects' are the paid exchange's.
   */
  @Override
  public List<String> headers(Response response, String name) {
    List<String> values = response.headers(name);
    for (Response prior = response.priorResponse();
        values.isEmpty() && prior != null && name.equalsIgnoreCase("Payment-Receipt");
        prior = prior.priorResponse()) {
      values = prior.headers(name);
    }
    return values;
  }

  @Override
  public URI url(Response response) {
    return response.request().url().uri();
  }

  @Override
  public byte[] peekBody(Response response, int maxBytes) throws IOException {
    return response.peekBody(maxBytes).bytes();
  }

  @Override
  public void discard(Response response) {
    try {
      response.close();
    } catch (RuntimeException e) {
      // Closing is best effort: the connection is simply not reused.
    }
  }
}
