package io.hepaloop.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A piece of plain JDBC work run by {@link Store} on its connection. */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
