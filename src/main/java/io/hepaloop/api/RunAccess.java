package io.hepaloop.api;

import io.hepaloop.plantstate.RunEventRecord;
import io.hepaloop.plantstate.RunNoteRecord;
import io.hepaloop.plantstate.RunRecord;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * The runs as the run routes ({@link RunRoutes}) see them; the application implements it ({@code
 * app.RunService}). Every method returns at once; a refusal fails the future with {@link
 * RunRefused} (its HTTP status and a sentence naming what is wrong).
 */
public interface RunAccess {
  /** The construct sources a run may name (the runs table's check). */
  List<String> CELL_SOURCES =
      List.of("primary_hepatocytes", "heparg", "ipsc_hlc", "msc_coculture", "other");

  /** The commands of {@link #command}. */
  List<String> COMMANDS = List.of("start", "hold", "restart", "stop", "abort");

  /**
   * A run to create, as validated by the route.
   *
   * @param recipe a file name in {@code recipes/} without {@code .yaml}
   */
  record NewRun(
      String reactorId,
      String recipe,
      String cellSource,
      String cellSourceDetail,
      double cellsSeeded,
      String scaffold,
      String medium,
      String operator) {}

  /** When a phase of the run started and ended (null while it runs). */
  record PhaseTime(int index, String id, String name, Instant startedAt, Instant endedAt) {}

  /** A question of the current phase waiting for an operator. */
  record Prompt(String id, String question) {}

  /**
   * A run as stored, with what only the running executor knows.
   *
   * @param state the current ISA-88 state (the executor's while the run is open)
   * @param phaseElapsedS seconds in the current phase, held time excluded
   * @param allowedCommands what the state allows now (start, hold, ..., confirm)
   */
  record RunView(
      RunRecord record,
      String state,
      int phaseIndex,
      String phaseId,
      double phaseElapsedS,
      List<PhaseTime> phases,
      List<Prompt> openPrompts,
      List<String> allowedCommands) {}

  /**
   * What a command did: accepted or refused (with the executor's reason naming the state), the
   * state before it, and the run after it.
   */
  record Outcome(boolean accepted, String message, String stateBefore, RunView run) {}

  /** A request the runs refuse: the status to answer and why. */
  final class RunRefused extends RuntimeException {
    private final int status;
    private final String title;

    public RunRefused(int status, String title, String detail) {
      super(detail, null, false, false);
      this.status = status;
      this.title = title;
    }

    public int status() {
      return status;
    }

    public String title() {
      return title;
    }
  }

  /** The reactors runs may be created on. */
  List<String> reactorIds();

  /** Runs newest first, of a reactor (null: all) in a state (null: any). */
  Future<List<RunView>> list(String reactorId, String state);

  /** The run, or a 404 refusal. */
  Future<RunView> get(String runId);

  /**
   * Creates a run (state IDLE) from the recipe file's present text.
   *
   * @param releasedOnly refuse (409) a recipe version that is not released (strict mode)
   */
  Future<RunView> create(NewRun run, String createdBy, boolean releasedOnly);

  /** One of {@link #COMMANDS}; a command the state does not allow is an outcome not accepted. */
  Future<Outcome> command(String runId, String command, String actor);

  /** Answers prompt {@code promptId} of the current phase. */
  Future<Outcome> confirm(String runId, String promptId, String actor);

  Future<List<RunEventRecord>> events(String runId);

  Future<List<RunNoteRecord>> notes(String runId);

  Future<RunNoteRecord> addNote(String runId, Instant notedAt, String user, String text);
}
