package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowders.stack.Credentials.Secret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./flowders credentials [NAME]}. */
class CredentialsCommandTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @Test
  void withoutANameItListsTheNamesAndTheFileButNoValue() {
    StackLayout layout = layout();

    int exit = Flowders.credentials(layout, List.of(), out());

    assertThat(exit).isZero();
    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(text).contains(layout.display(layout.state().resolve(Credentials.FILE)));
    for (Secret secret : Secret.values()) {
      assertThat(text).contains("  " + secret.key() + "\n");
      assertThat(text).doesNotContain(layout.credentials().get(secret));
    }
    assertThat(text)
        .contains(
            "curl -X PUT -H \"Authorization: Bearer $(./flowders credentials producer.rate-token)\""
                + " '"
                + layout.producerUrl()
                + "/orders/rate?value=50'");
  }

  @Test
  void withANameItPrintsThatValueAloneForScripts() {
    StackLayout layout = layout();

    int exit = Flowders.credentials(layout, List.of("producer.rate-token"), out());

    assertThat(exit).isZero();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .isEqualTo(layout.credentials().get(Secret.PRODUCER_RATE_TOKEN) + System.lineSeparator());
  }

  @Test
  void anUnknownNameIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> Flowders.credentials(layout(), List.of("producer.token"), out()))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("'producer.token'")
        .hasMessageContaining("producer.rate-token")
        .hasMessageContaining("s3.secret-key");
    assertThat(printed.size()).isZero();
  }

  private StackLayout layout() {
    return new StackLayout(
        dir, StackConfig.load(Map.of(StackLayout.STATE_DIR, dir.resolve("state").toString())));
  }

  private PrintStream out() {
    return new PrintStream(printed, true, StandardCharsets.UTF_8);
  }
}
