package io.flowders.job;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code hostile/orders.tsv}: Kafka records, each with the outcome the job must give it, read as
 * the console producer reads them ({@code parse.key=true}, tab as key separator, {@code NULL} as
 * null marker). The expected totals are computed here from the accepted cases, in plain Java.
 */
final class HostileCorpus {

  static final String RESOURCE = "/hostile/orders.tsv";
  static final String ACCEPT = "accept";
  static final String DUPLICATE = "duplicate";
  static final String REJECT = "reject ";

  /** The console producer's null.marker: a key or value spelled so is sent as null. */
  static final String NULL_MARKER = "NULL";

  private static final String COMMENT = "#";
  private static final String PART = "# ===";
  private static final DateTimeFormatter WINDOW =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /**
   * One record to send and what must become of it.
   *
   * @param line the line in the file, 1-based
   * @param part the part it is sent with, 0-based (parts are separated by "# ===" lines)
   * @param expect {@code accept}, {@code duplicate} or {@code reject <reason prefix>}
   * @param key null for none
   * @param value null for none
   */
  record Case(int line, int part, String expect, String key, String value) {

    boolean accepted() {
      return expect.equals(ACCEPT);
    }

    boolean duplicate() {
      return expect.equals(DUPLICATE);
    }

    boolean rejected() {
      return expect.startsWith(REJECT);
    }

    /** What the reject reason must start with; only for {@link #rejected()} cases. */
    String reasonPrefix() {
      return expect.substring(REJECT.length());
    }

    /** The order an accepted or duplicate case holds, read without the job's parser. */
    Order order() {
      try {
        JsonNode json = JSON.readTree(value);
        return new Order(
            json.get("order_id").longValue(),
            Normalizer.normalize(json.get("customer_id").textValue(), Normalizer.Form.NFC),
            json.get("amount").decimalValue(),
            instant(json.get("timestamp").textValue()));
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("line " + line + " is not an order: " + value, e);
      }
    }

    @Override
    public String toString() {
      return "line " + line + " (" + expect + ")";
    }
  }

  /** An order as the totals count it: customer NFC-normalised, time in UTC. */
  record Order(long id, String customer, BigDecimal amount, Instant at) {

    /** The totals table's key, as {@code cast(window_start as string)|customer_id}. */
    String window() {
      return WINDOW.format(at.truncatedTo(ChronoUnit.MINUTES).atOffset(ZoneOffset.UTC))
          + "|"
          + customer;
    }
  }

  private HostileCorpus() {}

  static List<Case> read() {
    try {
      return parse(
          Files.readAllLines(
              Path.of(HostileCorpus.class.getResource(RESOURCE).toURI()), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Case> parse(List<String> lines) {
    List<Case> cases = new ArrayList<>();
    int part = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith(PART)) {
        part++;
        continue;
      }
      if (line.startsWith(COMMENT)) {
        continue;
      }
      String[] columns = line.split("\t", 3);
      if (columns.length != 3) {
        throw new IllegalArgumentException(
            RESOURCE + " line " + (i + 1) + ": expect<TAB>key<TAB>value, got: " + line);
      }
      cases.add(
          new Case(
              i + 1, Math.max(part, 0), columns[0], nullable(columns[1]), nullable(columns[2])));
    }
    return cases;
  }

  /** window|customer → orders|amount over the accepted cases, as OrdersJobIT prints the table. */
  static Map<String, String> expectedTotals(List<Case> cases) {
    Map<String, Long> counts = new TreeMap<>();
    Map<String, BigDecimal> sums = new TreeMap<>();
    for (Case c : cases) {
      if (c.accepted()) {
        Order order = c.order();
        counts.merge(order.window(), 1L, Long::sum);
        sums.merge(order.window(), order.amount(), BigDecimal::add);
      }
    }
    Map<String, String> totals = new TreeMap<>();
    counts.forEach((key, n) -> totals.put(key, n + "|" + sums.get(key).setScale(2)));
    return totals;
  }

  private static String nullable(String column) {
    return column.equals(NULL_MARKER) ? null : column;
  }

  /** ISO-8601 with an offset, or without one (UTC), as the contract reads it. */
  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException noOffset) {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    }
  }
}
