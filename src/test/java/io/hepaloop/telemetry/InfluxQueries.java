package io.hepaloop.telemetry;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Test-side reads through influxdb-java: an independent client checks what HepaLoop's own writer
 * stored.
 */
final class InfluxQueries implements AutoCloseable {
  private final InfluxDB influx;
  private final String database;

  InfluxQueries(String url, String database) {
    this.influx = InfluxDBFactory.connect(url);
    this.database = database;
  }

  /** Rows of the first series (times in ns); throws on a query error; empty when no data. */
  List<List<Object>> rows(String q) {
    QueryResult r = influx.query(new Query(q, database), TimeUnit.NANOSECONDS);
    if (r.hasError()) {
      throw new IllegalStateException(r.getError() + " for " + q);
    }
    QueryResult.Result res = r.getResults().get(0);
    if (res.hasError()) {
      throw new IllegalStateException(res.getError() + " for " + q);
    }
    if (res.getSeries() == null || res.getSeries().isEmpty()) {
      return List.of();
    }
    return res.getSeries().get(0).getValues();
  }

  List<QueryResult.Series> series(String q) {
    QueryResult r = influx.query(new Query(q, database), TimeUnit.NANOSECONDS);
    QueryResult.Result res = r.getResults().get(0);
    if (res.hasError()) {
      throw new IllegalStateException(res.getError() + " for " + q);
    }
    return res.getSeries() == null ? List.of() : res.getSeries();
  }

  /** A single number: first column after time of the first row, 0 when there is no row. */
  long count(String q) {
    List<List<Object>> rows = rows(q);
    return rows.isEmpty() ? 0 : ((Number) rows.get(0).get(1)).longValue();
  }

  @Override
  public void close() {
    influx.close();
  }
}
