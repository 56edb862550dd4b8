package dev.mpp.testkit.scenario;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * Captures what the SLF4J backend writes while it is open. Expects slf4j-simple at level {@code
 * trace} writing to {@code System.err} (resolved at every write: {@code
 * org.slf4j.simpleLogger.logFile=System.err}), which each adapter module configures in its test
 * {@code simplelogger.properties}. Output still reaches the original stream.
 */
public final class LogCapture implements AutoCloseable {
  private final PrintStream original;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private LogCapture() {
    if (!LoggerFactory.getLogger(LogCapture.class).isTraceEnabled()) {
      throw new IllegalStateException(
          "log capture needs the SLF4J backend at trace level (simplelogger.properties)");
    }
    this.original = System.err;
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            original.write(b);
            captured.write(b);
          }

          @Override
          public void write(byte[] bytes, int offset, int length) {
            original.write(bytes, offset, length);
            captured.write(bytes, offset, length);
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** Starts capturing. */
  public static LogCapture start() {
    return new LogCapture();
  }

  /** Everything captured so far. */
  public String text() {
    System.err.flush();
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }
}
