package dev.mpp.wallet.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.wallet.Usd;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads policies from JSON. Strict on purpose: a misspelt key would otherwise silently drop a
 * limit, so unknown keys, duplicate keys and wrong types are all errors, each reported in one line
 * naming the file and the JSON path.
 */
final class PolicyJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();

  private static final Set<String> POLICY_KEYS =
      Set.of(
          "maxPerPayment", "maxLockable", "caps", "allow", "deny", "expires", "approval", "alerts");
  private static final Set<String> AGENT_KEYS =
      Set.of(
          "fleet",
          "maxPerPayment",
          "maxLockable",
          "caps",
          "allow",
          "deny",
          "expires",
          "approval",
          "alerts");
  private static final Set<String> CAP_KEYS =
      Set.of("window", "max", "maxPayments", "asset", "maxUnits");
  private static final Set<String> APPROVAL_KEYS = Set.of("above", "timeout");
  private static final Set<String> SET_KEYS = Set.of("fleets", "agents", "defaultAgent");
  private static final Pattern DURATION =
      Pattern.compile("([0-9]{1,9})\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private final String source;

  private PolicyJson(String source) {
    this.source = source;
  }

  static Policy parsePolicy(String json, String source) {
    PolicyJson parser = new PolicyJson(source);
    JsonNode root = parser.root(json);
    parser.keys(root, "$", POLICY_KEYS);
    return parser.policy(root, "$");
  }

  static PolicySet parseSet(String json, String source) {
    PolicyJson parser = new PolicyJson(source);
    JsonNode root = parser.root(json);
    parser.keys(root, "$", SET_KEYS);
    Map<String, Policy> fleets = new LinkedHashMap<>();
    JsonNode fleetsNode = root.get("fleets");
    if (fleetsNode != null) {
      parser.object(fleetsNode, "$.fleets");
      for (Map.Entry<String, JsonNode> entry : fleetsNode.properties()) {
        String path = "$.fleets." + entry.getKey();
        parser.keys(entry.getValue(), path, POLICY_KEYS);
        fleets.put(entry.getKey(), parser.policy(entry.getValue(), path));
      }
    }
    Map<String, AgentPolicy> agents = new LinkedHashMap<>();
    JsonNode agentsNode = root.get("agents");
    if (agentsNode != null) {
      parser.object(agentsNode, "$.agents");
      for (Map.Entry<String, JsonNode> entry : agentsNode.properties()) {
        agents.put(entry.getKey(), parser.agent(entry.getValue(), "$.agents." + entry.getKey()));
      }
    }
    JsonNode fallback = root.get("defaultAgent");
    AgentPolicy defaultAgent = fallback == null ? null : parser.agent(fallback, "$.defaultAgent");
    try {
      return new PolicySet(fleets, agents, defaultAgent);
    } catch (ConfigurationException e) {
      throw parser.error("$", e.getMessage());
    }
  }

  private JsonNode root(String json) {
    if (json == null || json.isBlank()) {
      throw new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, source + ": is empty");
    }
    try {
      JsonNode root = MAPPER.readTree(json);
      object(root, "$");
      return root;
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      String reason = e.getOriginalMessage();
      int newline = reason.indexOf('\n');
      reason = newline < 0 ? reason : reason.substring(0, newline);
      throw new ConfigurationException(
          ErrorCode.INVALID_CONFIGURATION, source + ": not valid JSON" + where + ": " + reason, e);
    }
  }

  private AgentPolicy agent(JsonNode node, String path) {
    keys(node, path, AGENT_KEYS);
    JsonNode fleet = node.get("fleet");
    String fleetName = null;
    if (fleet != null && !fleet.isNull()) {
      fleetName = text(fleet, path + ".fleet");
    }
    return new AgentPolicy(fleetName, policy(node, path));
  }

  private Policy policy(JsonNode node, String path) {
    Policy.Builder builder = Policy.builder();
    JsonNode lockable = node.get("maxLockable");
    if (lockable != null) {
      builder.maxLockableUsdMicros(usd(lockable, path + ".maxLockable"));
    }
    JsonNode max = node.get("maxPerPayment");
    if (max != null) {
      builder.maxPerPaymentUsdMicros(usd(max, path + ".maxPerPayment"));
    }
    JsonNode caps = node.get("caps");
    if (caps != null) {
      array(caps, path + ".caps");
      for (int i = 0; i < caps.size(); i++) {
        String capPath = path + ".caps[" + i + "]";
        Cap cap = cap(caps.get(i), capPath);
        apply(capPath, () -> builder.cap(cap));
      }
    }
    lists(node.get("allow"), path + ".allow", true, builder);
    lists(node.get("deny"), path + ".deny", false, builder);
    JsonNode expires = node.get("expires");
    if (expires != null) {
      Instant at = instant(expires, path + ".expires");
      builder.expiresAt(at);
    }
    JsonNode approval = node.get("approval");
    if (approval != null) {
      String approvalPath = path + ".approval";
      keys(approval, approvalPath, APPROVAL_KEYS);
      JsonNode above = approval.get("above");
      if (above == null) {
        throw error(approvalPath, "needs 'above' (the amount above which to ask)");
      }
      builder.approvalAboveUsdMicros(usd(above, approvalPath + ".above"));
      JsonNode timeout = approval.get("timeout");
      if (timeout != null) {
        Duration duration = duration(timeout, approvalPath + ".timeout");
        apply(approvalPath + ".timeout", () -> builder.approvalTimeout(duration));
      }
    }
    JsonNode alerts = node.get("alerts");
    if (alerts != null) {
      array(alerts, path + ".alerts");
      for (int i = 0; i < alerts.size(); i++) {
        String alertPath = path + ".alerts[" + i + "]";
        BigDecimal fraction = fraction(alerts.get(i), alertPath);
        apply(alertPath, () -> builder.alertAt(fraction));
      }
    }
    return builder.build();
  }

  private Cap cap(JsonNode node, String path) {
    keys(node, path, CAP_KEYS);
    JsonNode window = node.get("window");
    if (window == null) {
      throw error(path, "needs 'window' (hour, day, week, month or all-time)");
    }
    String windowName = text(window, path + ".window");
    Window parsedWindow = call(path + ".window", () -> Window.of(windowName));
    Long max = node.has("max") ? usd(node.get("max"), path + ".max") : null;
    Long count =
        node.has("maxPayments")
            ? integer(node.get("maxPayments"), path + ".maxPayments").longValueExact()
            : null;
    String asset = node.has("asset") ? text(node.get("asset"), path + ".asset") : null;
    BigInteger units =
        node.has("maxUnits") ? integer(node.get("maxUnits"), path + ".maxUnits") : null;
    return call(path, () -> new Cap(parsedWindow, asset, max, count, units));
  }

  private void lists(JsonNode node, String path, boolean allow, Policy.Builder builder) {
    if (node == null) {
      return;
    }
    object(node, path);
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String listPath = path + "." + entry.getKey();
      Attribute attribute = call(listPath, () -> Attribute.ofPlural(entry.getKey()));
      JsonNode values = entry.getValue();
      array(values, listPath);
      List<String> patterns = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        String itemPath = listPath + "[" + i + "]";
        patterns.add(
            attribute == Attribute.CHAIN
                ? integer(values.get(i), itemPath).toString()
                : text(values.get(i), itemPath));
      }
      String[] array = patterns.toArray(String[]::new);
      apply(
          listPath,
          () -> {
            if (allow) {
              builder.allow(attribute, array);
            } else {
              builder.deny(attribute, array);
            }
          });
    }
  }

  private long usd(JsonNode node, String path) {
    if (node.isTextual()) {
      return call(path, () -> Usd.parse(node.textValue()));
    }
    if (node.isNumber()) {
      return call(path, () -> Usd.parse(node.decimalValue()));
    }
    throw error(path, "must be a dollar amount such as \"5.00\"");
  }

  private BigInteger integer(JsonNode node, String path) {
    BigInteger value = null;
    if (node.isIntegralNumber()) {
      value = node.bigIntegerValue();
    } else if (node.isTextual() && node.textValue().matches("[0-9]{1,78}")) {
      value = new BigInteger(node.textValue());
    }
    if (value == null || value.signum() < 0) {
      throw error(path, "must be a non-negative integer");
    }
    if (value.bitLength() > 255) {
      throw error(path, "is out of range");
    }
    return value;
  }

  private BigDecimal fraction(JsonNode node, String path) {
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isTextual()) {
      String text = node.textValue().strip();
      try {
        return text.endsWith("%")
            ? new BigDecimal(text.substring(0, text.length() - 1).strip()).movePointLeft(2)
            : new BigDecimal(text);
      } catch (NumberFormatException e) {
        throw error(path, "'" + text + "' is not a fraction or percentage");
      }
    }
    throw error(path, "must be a fraction such as 0.8 or a percentage such as \"80%\"");
  }

  private Instant instant(JsonNode node, String path) {
    String text = text(node, path);
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(
          text.toUpperCase(Locale.ROOT), Instant::from);
    } catch (DateTimeParseException e) {
      throw error(path, "'" + text + "' is not an RFC 3339 date-time such as 2026-01-31T00:00:00Z");
    }
  }

  private Duration duration(JsonNode node, String path) {
    if (node.isIntegralNumber()) {
      return Duration.ofSeconds(integer(node, path).longValueExact());
    }
    String text = text(node, path).strip();
    Matcher m = DURATION.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw error(path, "'" + text + "' is not a duration such as \"30s\", \"2m\" or \"PT30S\"");
    }
  }

  private String text(JsonNode node, String path) {
    if (!node.isTextual()) {
      throw error(path, "must be a string");
    }
    return node.textValue();
  }

  private void object(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw error(path, "must be a JSON object");
    }
  }

  private void array(JsonNode node, String path) {
    if (!node.isArray()) {
      throw error(path, "must be a JSON array");
    }
  }

  private void keys(JsonNode node, String path, Set<String> allowed) {
    object(node, path);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw error(
            path,
            "unknown key '" + key + "' (allowed: " + String.join(", ", sorted(allowed)) + ")");
      }
    }
  }

  private static List<String> sorted(Set<String> keys) {
    List<String> list = new ArrayList<>(keys);
    list.sort(null);
    return list;
  }

  private void apply(String path, Runnable action) {
    call(
        path,
        () -> {
          action.run();
          return null;
        });
  }

  private <T> T call(String path, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (ConfigurationException e) {
      throw error(path, e.getMessage());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw error(path, e.getMessage());
    }
  }

  private ConfigurationException error(String path, String problem) {
    return new ConfigurationException(
        ErrorCode.INVALID_CONFIGURATION, source + ": " + path + ": " + problem);
  }
}
