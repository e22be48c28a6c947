package io.hepaloop.api;

import io.hepaloop.store.Store;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The audit records of a test's database as column maps, in sequence order. */
final class AuditRows {
  private AuditRows() {}

  /** Every record; absent fields are null. */
  static List<Map<String, String>> all(Store store) {
    return store.read(
        c -> {
          List<Map<String, String>> out = new ArrayList<>();
          try (PreparedStatement p =
                  c.prepareStatement("SELECT * FROM audit_records ORDER BY seq");
              ResultSet r = p.executeQuery()) {
            ResultSetMetaData m = r.getMetaData();
            while (r.next()) {
              Map<String, String> row = new LinkedHashMap<>();
              for (int i = 1; i <= m.getColumnCount(); i++) {
                row.put(m.getColumnName(i), r.getString(i));
              }
              out.add(row);
            }
          }
          return out;
        });
  }

  /** The records of {@code action} ("setpoint", "login_failed"). */
  static List<Map<String, String>> of(Store store, String action) {
    return all(store).stream().filter(r -> action.equals(r.get("action"))).toList();
  }
}
