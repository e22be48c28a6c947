package io.hepaloop.plantstate;

import java.util.List;

/**
 * One page of alarm history, newest first.
 *
 * @param entries at most the query's limit
 * @param nextCursor pass to {@link AlarmHistoryQuery#after} for the next (older) page; null when
 *     this page is the last
 */
public record AlarmHistoryPage(List<AlarmHistoryEntry> entries, String nextCursor) {
  public AlarmHistoryPage {
    entries = List.copyOf(entries);
  }
}
