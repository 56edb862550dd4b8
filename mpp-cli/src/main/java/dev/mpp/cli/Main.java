package dev.mpp.cli;

import dev.mpp.cli.conformance.ConformanceAdapterCommand;
import dev.mpp.client.MppException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code mpp} command: pay for HTTP resources, inspect offers, read the ledger. */
@Command(
    name = "mpp",
    mixinStandardHelpOptions = true,
    version = "mpp 0.1.0-SNAPSHOT",
    description = "Machine Payments Protocol client: pay for HTTP resources from the terminal.",
    subcommands = {
      FetchCommand.class,
      InspectCommand.class,
      DecodeCommand.class,
      LedgerCommand.class,
      BudgetCommand.class,
      SessionCommand.class,
      ConformanceAdapterCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0   success (2xx, paid or free)",
      "  1   anything else",
      "  2   usage or configuration error (bad flag, missing key, unreadable policy file)",
      "  3   malformed challenge or header (decode: no valid challenge)",
      "  22  the final HTTP status is >= 400 (including a 402 not paid for another reason)",
      "  75  payment refused by the wallet policy (nothing paid)",
      "  76  no payable offer (unsupported methods, currencies or chains)",
      "  77  payment outcome unknown"
    })
public final class Main implements Runnable {

  @Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of unexpected errors (never secrets).")
  boolean verbose;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this),
        "missing command: fetch, inspect, decode, ledger, budget, session or conformance-adapter");
  }

  /** Runs the tool and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the tool and returns its exit code. */
  static int run(String... args) {
    Main main = new Main();
    CommandLine cli = new CommandLine(main);
    cli.setParameterExceptionHandler(
        (e, ignored) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println("mpp: " + e.getMessage());
          err.flush();
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof MppException mpp) {
            err.println("mpp: " + mpp.code() + ": " + mpp.getMessage());
            err.flush();
            return ExitCodes.of(mpp.code());
          }
          err.println("mpp: " + e);
          if (main.verbose) {
            e.printStackTrace(err);
          }
          err.flush();
          return ExitCodes.OTHER;
        });
    return cli.execute(args);
  }
}
