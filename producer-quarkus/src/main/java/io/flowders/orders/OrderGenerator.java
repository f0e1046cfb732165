package io.flowders.orders;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.SplittableRandom;

/**
 * Random orders of customers {@code CUS_1..CUS_n}, amounts 5.00 to 999.99, stamped now (UTC). Not
 * thread-safe: one producer thread owns it.
 */
final class OrderGenerator {

  static final long MIN_CENTS = 500;
  static final long MAX_CENTS = 99_999;

  private final String[] customers;
  private final OrderIds ids;
  private final Clock clock;
  private final SplittableRandom random = new SplittableRandom();

  OrderGenerator(int customers, OrderIds ids, Clock clock) {
    if (customers < 1) {
      throw new IllegalArgumentException("need at least one customer: " + customers);
    }
    this.customers = new String[customers];
    for (int i = 0; i < customers; i++) {
      this.customers[i] = Customers.id(i + 1);
    }
    this.ids = ids;
    this.clock = clock;
  }

  OrderGenerator(int customers, OrderIds ids) {
    this(customers, ids, Clock.systemUTC());
  }

  Order next() {
    return new Order(
        ids.next(),
        customers[random.nextInt(customers.length)],
        BigDecimal.valueOf(random.nextLong(MIN_CENTS, MAX_CENTS + 1), 2),
        clock.instant());
  }
}
