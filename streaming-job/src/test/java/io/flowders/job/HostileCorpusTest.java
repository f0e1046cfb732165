package io.flowders.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
