package io.flowders.bench;

import java.util.ArrayList;
import java.util.List;

/** Repeated measurements of one figure: the median is reported, min and max show the spread. */
public record Samples(List<Double> values) {

  public Samples {
    values = List.copyOf(values);
  }

  public static Samples of(double... values) {
    List<Double> list = new ArrayList<>();
    for (double v : values) {
      list.add(v);
    }
    return new Samples(list);
  }

  public Samples with(double value) {
    List<Double> list = new ArrayList<>(values);
    list.add(value);
    return new Samples(list);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public double median() {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  public double min() {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  public double max() {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** (max - min) / median: 0.1 means the repeats lie within 10 % of each other. */
  public double spread() {
    return values.size() < 2 ? 0 : (max() - min()) / median();
  }
}
