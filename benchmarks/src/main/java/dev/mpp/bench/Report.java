package dev.mpp.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Prints result lines and appends them to a results file, so a long run leaves a record. */
public final class Report implements AutoCloseable {
  private final PrintStream out;
  private final Writer file;
  private final Path path;

  private Report(PrintStream out, Writer file, Path path) {
    this.out = out;
    this.file = file;
    this.path = path;
  }

  /** Prints to {@code out} and appends to {@code path} (created with its directories). */
  public static Report to(PrintStream out, Path path) {
    try {
      Files.createDirectories(path.toAbsolutePath().getParent());
      return new Report(
          out,
          Files.newBufferedWriter(
              path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
          path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the lines are kept. */
  public Path path() {
    return path;
  }

  /** Prints and records one line. */
  public synchronized void line(String text) {
    out.println(text);
    try {
      file.write(text);
      file.write('\n');
      file.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
