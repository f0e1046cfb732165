package io.flowders.stack;

/** A failure ./flowders explains in its message alone: no stack trace for the user. */
public final class StackException extends RuntimeException {

  public StackException(String message) {
    super(message);
  }
}
