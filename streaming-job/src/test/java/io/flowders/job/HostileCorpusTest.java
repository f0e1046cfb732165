package io.flowders.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.parse.InputRules;
import io.flowders.parse.OrderParser;
import io.flowders.parse.ParseResult;
import io.flowders.parse.RejectRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The corpus HostileRecordsIT pushes says what it means: checked without Kafka or Spark. */
class HostileCorpusTest {

  private final List<HostileCorpus.Case> cases = HostileCorpus.read();

  @Test
  void holdsAtLeastAHundredCasesEachWithAKnownOutcome() {
    assertThat(cases).hasSizeGreaterThanOrEqualTo(100);
    assertThat(cases)
        .allSatisfy(
            c ->
                assertThat(c.accepted() || c.duplicate() || !c.reasonPrefix().isBlank())
                    .as(c.toString())
                    .isTrue());
    assertThat(cases.stream().filter(HostileCorpus.Case::rejected)).hasSizeGreaterThan(100);
  }

  /**
   * The metrics label a reject is counted under (RejectRules) is one of a few rule names, never the
   * record's own text: the corpus' rejects, parsed as the job parses them.
   */
  @Test
  void theCorpusRejectsFallUnderAFewNamedRules() {
    OrderParser parser = new OrderParser(InputRules.DEFAULTS);
    Set<String> reasons = new HashSet<>();
    Set<String> rules = new TreeSet<>();
    for (HostileCorpus.Case c : cases) {
      if (c.rejected()
          && parser.parse(utf8(c.key()), utf8(c.value()), Instant.now())
              instanceof ParseResult.Rejected rejected) {
        reasons.add(rejected.reason());
        rules.add(RejectRules.rule(rejected.reason()));
      }
    }

    assertThat(reasons).hasSizeGreaterThan(50);
    assertThat(rules).doesNotContain(RejectRules.OTHER).hasSizeLessThan(reasons.size() / 2);
    assertThat(rules).allSatisfy(rule -> assertThat(rule).hasSizeLessThanOrEqualTo(60));
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theReadmeStatesItsSize() throws Exception {
    assertThat(Files.readString(Path.of("../README.md")))
        .as("README.md, What flows: the corpus size")
        .contains("/hostile/orders.tsv` holds " + cases.size() + " hostile");
  }

  @Test
  void isSentInSeveralPartsSoThatDuplicatesCrossBatches() {
    assertThat(cases.stream().mapToInt(HostileCorpus.Case::part).max().orElse(0))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void eachAcceptedOrderIdIsAcceptedOnceAndEachDuplicateRepeatsAnEarlierOrder() {
    Map<Long, HostileCorpus.Order> accepted = new HashMap<>();
    for (HostileCorpus.Case c : cases) {
      if (c.accepted()) {
        HostileCorpus.Order order = c.order();
        assertThat(accepted.put(order.id(), order)).as(c.toString()).isNull();
      } else if (c.duplicate()) {
        HostileCorpus.Order order = c.order();
        HostileCorpus.Order first = accepted.get(order.id());
        assertThat(first).as(c + " repeats no earlier accepted order").isNotNull();
        assertThat(order.customer()).as(c.toString()).isEqualTo(first.customer());
        assertThat(order.amount()).as(c.toString()).isEqualByComparingTo(first.amount());
        assertThat(order.at()).as(c.toString()).isEqualTo(first.at());
      }
    }
  }

  @Test
  void theTotalsOfTheAcceptedOrdersAreComputedExactly() {
    Map<String, String> totals = HostileCorpus.expectedTotals(cases);
    // Both spellings of one customer (NFC, NFD; a surrogate pair escaped or not) are one row.
    assertThat(totals).containsEntry("2025-09-22 10:00:00|CUS_\u00e9", "4|44.00");
    assertThat(totals).containsEntry("2025-09-22 10:00:00|\uD83E\uDD84_shop", "2|16.00");
    assertThat(totals).containsEntry("2025-09-22 10:00:00|CUS_2", "2|2000000000.00");
    assertThat(totals).containsEntry("1970-01-01 00:00:00|CUS_7", "2|14.00");
  }
}
