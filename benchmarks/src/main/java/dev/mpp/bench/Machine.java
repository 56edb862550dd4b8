package dev.mpp.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the figures were measured on: cores, JDK and how busy the machine was. */
public final class Machine {

  private Machine() {}

  /** One line: cores, JDK, OS and the load averages (from /proc/loadavg where available). */
  public static String describe() {
    return String.format(
        Locale.ROOT,
        "machine: %d cores (nproc), %s %s (%s), %s %s, load average %s",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.vendor"),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        loadAverage());
  }

  /** The 1, 5 and 15 minute load averages, or the JVM's 1 minute figure. */
  public static String loadAverage() {
    Path proc = Path.of("/proc/loadavg");
    if (Files.isReadable(proc)) {
      try {
        String[] fields = Files.readString(proc).trim().split("\\s+");
        return fields[0] + " " + fields[1] + " " + fields[2];
      } catch (IOException e) {
        // fall through to the JVM's figure
      }
    }
    return String.format(
        Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
