package dev.mpp.okhttp;

import dev.mpp.client.EventStreamPayments;
import dev.mpp.client.MppException;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;

/**
 * The body of a paid {@code text/event-stream} response: passes every byte through unchanged and,
 * as they are read, lets {@link EventStreamPayments} pay the stream's payment events (a session's
 * {@code payment-need-voucher}) on the reading thread. A demand that cannot be paid fails the read
 * with an {@link MppIOException}.
 */
final class PayingEventStreamBody extends ResponseBody {
  private final ResponseBody delegate;
  private final BufferedSource source;

  PayingEventStreamBody(ResponseBody delegate, EventStreamPayments payments) {
    this.delegate = delegate;
    this.source = Okio.buffer(new Scanning(delegate.source(), payments));
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public BufferedSource source() {
    return source;
  }

  @Override
  public void close() {
    delegate.close();
  }

  private static final class Scanning extends ForwardingSource {
    private final EventStreamPayments payments;
    private final Buffer scratch = new Buffer();

    Scanning(Source delegate, EventStreamPayments payments) {
      super(delegate);
      this.payments = payments;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      long read = super.read(sink, byteCount);
      if (read > 0) {
        sink.copyTo(scratch, sink.size() - read, read);
        byte[] bytes = scratch.readByteArray();
        try {
          payments.accept(bytes, 0, bytes.length);
        } catch (MppException e) {
          throw new MppIOException(e);
        }
      }
      return read;
    }
  }
}
