package io.flowders.orders;

/**
 * The customer id scheme {@code CUS_<n>}, n = 1, 2, ... : the number doubles as the customer's
 * partition index, which is what lets each customer own a partition.
 */
final class Customers {

  static final String PREFIX = "CUS_";

  private Customers() {}

  static String id(int number) {
    if (number < 1) {
      throw new IllegalArgumentException("customer numbers start at 1: " + number);
    }
    return PREFIX + number;
  }

  /** The n of {@code CUS_<n>}, or -1 when the id does not follow the scheme. */
  static int number(String id) {
    int length = id.length();
    if (!id.startsWith(PREFIX) || length == PREFIX.length() || length > PREFIX.length() + 9) {
      return -1;
    }
    int n = 0;
    for (int i = PREFIX.length(); i < length; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n >= 1 ? n : -1;
  }
}
