package io.hepaloop.store;

/** A database operation failed (I/O, a full disk, a constraint the code did not expect). */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
