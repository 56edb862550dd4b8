package dev.mpp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mpp.client.MppException;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Challenges;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.Receipt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mpp decode}: decodes challenges, credentials or receipts read from stdin. */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = {
      "Decode header values read from stdin, one per line (the header name prefix is optional).",
      "Default: WWW-Authenticate challenges, printed as a JSON array; invalid ones as"
          + " {\"error\":{…}} beside their valid siblings.",
      "Exit 3 when no valid value was found."
    })
final class DecodeCommand implements Callable<Integer> {
  /** Payload members that authorize payment; never printed. */
  static final Set<String> SECRET_FIELDS =
      Set.of("signature", "spt", "preimage", "transaction", "token", "mac");

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true)
  Kind kind = new Kind();

  static final class Kind {
    @Option(names = "--credential", description = "Decode Authorization: Payment credentials.")
    boolean credential;

    @Option(names = "--receipt", description = "Decode Payment-Receipt values.")
    boolean receipt;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<String> lines = readLines();
    ArrayNode result = JSON.createArrayNode();
    int valid = 0;
    for (String line : lines) {
      if (kind.credential) {
        valid += decodeCredential(strip(line, "Authorization"), result);
      } else if (kind.receipt) {
        valid += decodeReceipt(strip(line, "Payment-Receipt"), result);
      } else {
        valid += decodeChallenges(strip(line, "WWW-Authenticate"), result);
      }
    }
    out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    out.flush();
    return valid > 0 ? ExitCodes.OK : ExitCodes.MALFORMED;
  }

  private List<String> readLines() throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    for (String line; (line = reader.readLine()) != null; ) {
      if (!line.isBlank()) {
        lines.add(line.strip());
      }
    }
    return lines;
  }

  private static String strip(String line, String headerName) {
    int colon = line.indexOf(':');
    if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(headerName)) {
      return line.substring(colon + 1).strip();
    }
    return line;
  }

  private static int decodeChallenges(String line, ArrayNode result) {
    Challenges challenges = Challenge.parseAll(List.of(line));
    for (Challenge challenge : challenges.valid()) {
      result.add(describe(challenge));
    }
    for (Challenges.Invalid invalid : challenges.invalid()) {
      result.add(error(invalid.error()));
    }
    return challenges.valid().size();
  }

  static ObjectNode describe(Challenge challenge) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", challenge.id());
    node.put("realm", challenge.realm());
    node.put("method", challenge.method());
    node.put("intent", challenge.intent());
    challenge.expiresRaw().ifPresent(v -> node.put("expires", v));
    challenge.description().ifPresent(v -> node.put("description", v));
    challenge.digestRaw().ifPresent(v -> node.put("digest", v));
    challenge.opaque().ifPresent(v -> node.put("opaque", v));
    node.set("request", challenge.request().json());
    node.put("requestRaw", challenge.request().raw());
    return node;
  }

  private static int decodeCredential(String line, ArrayNode result) {
    try {
      ObjectNode json = Credential.parse(line).toJson();
      redact(json.get("payload"));
      result.add(json);
      return 1;
    } catch (ProtocolException e) {
      result.add(error(e));
      return 0;
    }
  }

  /** Replaces every secret member, at any depth, with a marker. */
  static void redact(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> member = it.next();
        if (SECRET_FIELDS.contains(member.getKey())) {
          member.setValue(TextNode.valueOf("[redacted]"));
        } else {
          redact(member.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(DecodeCommand::redact);
    }
  }

  private static int decodeReceipt(String line, ArrayNode result) {
    try {
      result.add(Receipt.parse(line).json());
      return 1;
    } catch (ProtocolException e) {
      result.add(error(e));
      return 0;
    }
  }

  static ObjectNode error(MppException e) {
    ObjectNode node = JSON.createObjectNode();
    ObjectNode error = node.putObject("error");
    error.put("code", e.code().name());
    error.put("message", e.getMessage());
    return node;
  }
}
