package io.hepaloop.store;

/**
 * The database's schema is not one this code can use: a migration changed after it was applied, or
 * the database was written by a newer HepaLoop. Nothing is changed when this is thrown; the message
 * says what to do, and the command line reports it without a stack trace.
 */
public final class SchemaMismatchException extends StoreException {
  public SchemaMismatchException(String message) {
    super(message);
  }
}
