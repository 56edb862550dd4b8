package dev.mpp.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Minimum, median and maximum of repeated measurements: the summary every benchmark here reports,
 * because on a shared 2-core machine the spread says as much as the centre.
 */
public record Stats(double min, double median, double max, int runs) {

  /** Summarizes {@code values} (at least one). */
  public static Stats of(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no measurements");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Stats(sorted[0], median, sorted[n - 1], n);
  }

  /** Summarizes {@code values} (at least one). */
  public static Stats of(List<Double> values) {
    return of(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** {@code median (min–max)} with {@code decimals} digits. */
  public String format(int decimals) {
    String f = "%." + decimals + "f";
    return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", median, min, max);
  }
}
