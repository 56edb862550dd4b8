package dev.mpp.cli.conformance;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mpp conformance-adapter}: the MPP conformance suite's adapter ABI over stdin and stdout
 * (see {@link ConformanceAdapter}).
 */
@Command(
    name = "conformance-adapter",
    mixinStandardHelpOptions = true,
    description = {
      "Answer MPP conformance-suite requests (tempoxyz/mpp-tools conformance/ adapter ABI):"
          + " read {\"schema\":1,\"op\":…,\"input\":…} on stdin, write {\"ok\":…} on stdout.",
      "Server-side operations answer unsupported_operation with their reason."
    })
public final class ConformanceAdapterCommand implements Callable<Integer> {

  @Option(
      names = "--jsonl",
      description = "Serve one request per line, one response line each, until end of input.")
  boolean jsonl;

  /** Creates the command; picocli sets its options. */
  public ConformanceAdapterCommand() {}

  /**
   * Serves stdin. Exit 0 once every response was written: error answers are responses too.
   *
   * @throws IOException if stdin or stdout fails
   */
  @Override
  public Integer call() throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    // Straight to the descriptor: responses are the only output, and System.out may buffer.
    Writer out =
        new BufferedWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8));
    ConformanceAdapter.serve(in, out, jsonl);
    return 0;
  }
}
