package io.flowders.orders;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * {@code orders.rate-schedule}, parsed (its format: {@link OrdersConfig#rateSchedule()}): the steps
 * and the cycle's length, and which step is in force at a time since start.
 *
 * <p>Offsets are whole seconds because {@link RateControl} looks once a second: no step can be
 * shorter than a look, so none is ever skipped.
 */
public record RateSchedule(List<Step> steps, Duration cycle) {

  static final String EXPECTED =
      "expected comma-separated offset:rate steps, the first at 0s, offsets increasing whole"
          + " seconds (90s, 5m, PT90S), rates as orders.rate takes them (a number, 0 pauses, max),"
          + " optionally ending in a bare offset that is the cycle's length (else the last step"
          + " lasts as long as the first), e.g."
          + " 0s:100,60s:2000,90s:100 or 0s:100,60s:2000,90s";

  public RateSchedule {
    steps = List.copyOf(steps);
  }

  /** From {@code offset} within the cycle on, {@code rate} orders per second. */
  public record Step(Duration offset, double rate) {}

  /**
   * The step in force: {@code number} counts steps since start across cycles, so it changes at
   * every boundary, even between two steps of the same rate.
   */
  public record Position(long number, double rate) {}

  /** Parses the configured text; the exception says what is wrong and what would be valid. */
  public static RateSchedule parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid("it is empty");
    }
    String[] items = text.split(",", -1);
    List<Step> steps = new ArrayList<>();
    Duration end = null;
    for (int i = 0; i < items.length; i++) {
      String item = items[i].trim();
      if (item.isEmpty()) {
        throw invalid("step " + (i + 1) + " is empty");
      }
      int colon = item.indexOf(':');
      if (colon < 0) {
        if (i < items.length - 1) {
          throw invalid(
              "'"
                  + item
                  + "' has no rate (only the last item may be a bare offset, the cycle's length)");
        }
        if (steps.isEmpty()) {
          throw invalid("'" + item + "' has no rate");
        }
        end = offset(item);
        if (end.compareTo(steps.get(steps.size() - 1).offset()) <= 0) {
          throw invalid("the cycle's length " + item + " must come after the last step's offset");
        }
        break;
      }
      Duration offset = offset(item.substring(0, colon));
      double rate;
      try {
        rate = OrderProducer.parseRate(item.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        throw invalid("'" + item + "': " + e.getMessage());
      }
      if (steps.isEmpty() && !offset.isZero()) {
        throw invalid("the first step must start at 0s, not at " + item.substring(0, colon).trim());
      }
      if (!steps.isEmpty() && offset.compareTo(steps.get(steps.size() - 1).offset()) <= 0) {
        throw invalid("'" + item + "' does not come after the step before it");
      }
      steps.add(new Step(offset, rate));
    }
    if (end == null) {
      if (steps.size() < 2) {
        throw invalid(
            "a single step repeats only with the cycle's length after it ("
                + text.trim()
                + ",60s)");
      }
      end = steps.get(steps.size() - 1).offset().plus(steps.get(1).offset());
    }
    return new RateSchedule(steps, end);
  }

  private static Duration offset(String text) {
    String trimmed = text.trim();
    Duration offset;
    try {
      offset = DurationConverter.parseDuration(trimmed);
    } catch (IllegalArgumentException e) {
      offset = null;
    }
    if (offset == null) {
      throw invalid("'" + trimmed + "' is not a duration");
    }
    if (offset.isNegative()) {
      throw invalid("offset " + trimmed + " is negative");
    }
    if (offset.getNano() != 0) {
      throw invalid("offset " + trimmed + " is not a whole number of seconds");
    }
    return offset;
  }

  private static IllegalArgumentException invalid(String what) {
    return new IllegalArgumentException("Invalid rate schedule: " + what + "; " + EXPECTED);
  }

  /** The step in force {@code elapsed} after start. */
  public Position at(Duration elapsed) {
    if (elapsed.isNegative()) {
      throw new IllegalArgumentException("elapsed time is negative: " + elapsed);
    }
    long cycleNanos = cycle.toNanos();
    long elapsedNanos = elapsed.toNanos();
    long cycles = elapsedNanos / cycleNanos;
    long withinCycle = elapsedNanos % cycleNanos;
    int index = steps.size() - 1;
    while (steps.get(index).offset().toNanos() > withinCycle) {
      index--;
    }
    return new Position(cycles * steps.size() + index, steps.get(index).rate());
  }

  /** The schedule as it was read, with the cycle's length made explicit: for the start-up log. */
  @Override
  public String toString() {
    return steps.stream()
            .map(step -> step.offset().toSeconds() + "s:" + rateText(step.rate()))
            .collect(Collectors.joining(","))
        + ","
        + cycle.toSeconds()
        + "s";
  }

  /** {@code max}, or orders per second without a needless {@code .0}. */
  static String rateText(double rate) {
    if (rate == OrderProducer.MAX_RATE) {
      return "max";
    }
    return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }

  /** Lets {@link OrdersConfig} hold the parsed schedule, so a bad one stops the start-up. */
  public static final class ConfigConverter implements Converter<RateSchedule> {

    @Override
    public RateSchedule convert(String value) {
      return parse(value);
    }
  }
}
