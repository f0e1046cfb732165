package io.flowders.orders;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The tests' {@code orders.rate-token}: generated per test JVM, so no token is committed. The tests
 * read it back from the config ({@link ProducerClient#rateToken()}); a test profile can still
 * override it (this source ranks below every other).
 */
public final class TestRateToken implements ConfigSource {

  private static final Map<String, String> VALUES = Map.of("orders.rate-token", generate());

  private static String generate() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public Set<String> getPropertyNames() {
    return VALUES.keySet();
  }

  @Override
  public String getValue(String propertyName) {
    return VALUES.get(propertyName);
  }

  @Override
  public String getName() {
    return "test-rate-token";
  }

  @Override
  public int getOrdinal() {
    return 10;
  }
}
