package io.flowders.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2025-09-22T19:27:05.425770Z",
        "2025-09-22T19:27:05Z",
        "2025-09-22T19:27:05",
        "2025-09-22T21:27:05.4+02:00",
        "2025-09-22T19:27:05.123456789-05:30",
        "2025-09-22T19:27:05.1234567891Z",
        "2024-02-29T00:00:00Z",
        "2025-02-29T00:00:00Z",
        "2025-09-22T24:00:00Z",
        "2025-09-22T19:60:00Z",
        "2025-09-22T19:27:60Z",
        "2025-13-01T00:00:00Z",
        "2025-09-22T19:27:05.Z",
        "2025-09-22t19:27:05Z",
        "2025-09-22T19:27:05+18:00",
        "2025-09-22T19:27:05+19:00",
        "2025-09-22T19:27:05+02",
        "2025-09-22T19:27",
        "2025-09-22T19:27:05Z[UTC]",
        "2025-09-22T19:27:05+01:00[Europe/Paris]",
        "2025-09-22 19:27:05",
        "+2025-09-22T19:27:05Z",
        "2025-9-22T19:27:05Z",
        "2025-09-22T19:27:05.000000z",
        "0000-01-01T00:00:00Z"
      })
  void readsWhatTheIsoFormatterReadsAndRejectsWhatItRejects(String text) {
    assertThat(outcome(() -> Timestamps.parse(text))).isEqualTo(outcome(() -> formatter(text)));
  }

  @Test
  void agreesWithTheIsoFormatterOnRandomInstantsAndOffsets() {
    Random random = new Random(1);
    for (int i = 0; i < 20_000; i++) {
      Instant at =
          Instant.ofEpochSecond(random.nextLong() % 4_000_000_000L, random.nextInt(1_000_000_000));
      ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(36 * 4) - 18 * 4) * 15 * 60);
      String text =
          switch (i % 3) {
            case 0 -> at.toString();
            case 1 -> at.atOffset(offset).toString();
            default -> at.atOffset(ZoneOffset.UTC).toLocalDateTime().toString();
          };
      assertThat(Timestamps.parse(text)).as(text).isEqualTo(formatter(text));
      assertThat(Timestamps.parse(text)).isEqualTo(at.truncatedTo(ChronoUnit.MICROS));
    }
  }

  private static Instant formatter(String text) {
    TemporalAccessor parsed =
        DateTimeFormatter.ISO_DATE_TIME.parseBest(text, ZonedDateTime::from, LocalDateTime::from);
    Instant instant =
        parsed instanceof ZonedDateTime z
            ? z.toInstant()
            : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  private static String outcome(java.util.function.Supplier<Instant> parse) {
    try {
      return parse.get().toString();
    } catch (DateTimeException e) {
      return "rejected";
    }
  }
}
