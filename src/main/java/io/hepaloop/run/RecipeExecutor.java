package io.hepaloop.run;

import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.recipe.Recipe.Phase;
import io.hepaloop.recipe.Recipe.Setpoint;
import io.hepaloop.run.RecipeEvent.Kind;
import io.hepaloop.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one {@link Recipe} on one reactor as an ISA-88 procedure: phases in order, each applying its
 * setpoints (steps at once, ramps moved at a bounded rate), raising its prompts and ending by its
 * transition once every prompt is answered. Commands (start, hold, restart, stop, abort, confirm)
 * are accepted only in the states ISA-88 allows them, else refused with a reason; a refused command
 * changes nothing.
 *
 * <p>Plain Java on a {@link Clock}, no threads, no I/O: call {@link #tick()} periodically (e.g.
 * every second) and {@link #onSignal} with the samples of the signals conditions watch, all on one
 * thread (the reactor's control context). Time counts in wall time of the clock, so that a {@link
 * RecipeProgress} saved before a restart resumes at the same offset; time spent held does not count
 * towards a phase.
 *
 * <p>Stop ends the procedure where it is and leaves the loops at their present setpoints (a
 * construct must stay perfused); abort does the same at once and marks the run as aborted. Neither
 * touches the loops' modes: the interlocks and the operator keep the plant safe.
 */
public final class RecipeExecutor {
  /** Who the control door sees as the author of the recipe's commands. */
  public static final String ACTOR = "recipe";

  /** A ramp sends a new setpoint at most this often (the loops ramp smoothly in between). */
  public static final double DEFAULT_RAMP_UPDATE_S = 60.0;

  /** The id of the prompt a {@code confirm} transition raises. */
  public static final String TRANSITION_PROMPT = "transition";

  private final Recipe recipe;
  private final Clock clock;
  private final RecipeOutputs outputs;
  private final double rampUpdateS;

  private ProcedureState state = ProcedureState.IDLE;
  private int phaseIndex = -1;
  private Instant phaseStartedAt;
  private double heldS;
  private Instant heldSince;
  private final Set<String> answered = new LinkedHashSet<>();
  private ConditionTracker condition;
  private final Map<String, Instant> rampSentAt = new HashMap<>();
  private final Map<String, Double> rampSent = new HashMap<>();

  public RecipeExecutor(Recipe recipe, Clock clock, RecipeOutputs outputs) {
    this(recipe, clock, outputs, DEFAULT_RAMP_UPDATE_S);
  }

  public RecipeExecutor(Recipe recipe, Clock clock, RecipeOutputs outputs, double rampUpdateS) {
    if (recipe == null || clock == null || outputs == null) {
      throw new IllegalArgumentException("recipe, clock and outputs are required");
    }
    if (!(rampUpdateS > 0) || Double.isInfinite(rampUpdateS)) {
      throw new IllegalArgumentException(
          "rampUpdateS must be a positive number, got " + rampUpdateS);
    }
    this.recipe = recipe;
    this.clock = clock;
    this.outputs = outputs;
    this.rampUpdateS = rampUpdateS;
  }

  /**
   * An executor that continues where {@code saved} left off: same phase, same offset in it (held
   * time excluded), same answered prompts. Step setpoints are not sent again (the loops kept them,
   * and an operator may have changed one since); a ramp sends its value for the present offset on
   * the first tick. A condition's wait starts again, since its samples were not saved.
   *
   * @throws IllegalArgumentException when {@code saved} belongs to another recipe version or names
   *     a phase the recipe does not have
   */
  public static RecipeExecutor resume(
      Recipe recipe, RecipeProgress saved, Clock clock, RecipeOutputs outputs) {
    if (saved.recipeSha256() != null && !saved.recipeSha256().equals(recipe.sha256())) {
      throw new IllegalArgumentException(
          "the saved progress belongs to recipe version "
              + saved.recipeSha256()
              + ", not to "
              + recipe.name()
              + " "
              + recipe.sha256()
              + ": a run continues with the version it started with");
    }
    if (saved.phaseIndex() >= recipe.phases().size()
        || (saved.phaseIndex() < 0 && saved.state() != ProcedureState.IDLE)) {
      throw new IllegalArgumentException(
          "the saved progress names phase "
              + saved.phaseIndex()
              + ", but recipe "
              + recipe.name()
              + " has "
              + recipe.phases().size());
    }
    RecipeExecutor e = new RecipeExecutor(recipe, clock, outputs);
    e.state = saved.state();
    e.phaseIndex = saved.phaseIndex();
    e.phaseStartedAt = saved.phaseStartedAt();
    e.heldS = saved.heldS();
    e.heldSince = saved.heldSince();
    e.answered.addAll(saved.answeredPrompts());
    if (e.phaseIndex >= 0) {
      e.newCondition(clock.now());
    }
    return e;
  }

  // ---- commands ----

  /** IDLE → RUNNING: the first phase starts. */
  public CommandResult start() {
    if (state != ProcedureState.IDLE) {
      return refused("start", "start is allowed while IDLE");
    }
    setState(ProcedureState.RUNNING, "started recipe " + recipe.name() + " " + recipe.version());
    enterPhase(0);
    return CommandResult.accepted("recipe " + recipe.name() + " started");
  }

  /** RUNNING → HOLDING → HELD: ramps and the phase's clock stop; setpoints stay where they are. */
  public CommandResult hold() {
    if (state != ProcedureState.RUNNING) {
      return refused("hold", "hold is allowed while RUNNING");
    }
    heldSince = clock.now();
    setState(ProcedureState.HOLDING, "hold requested");
    return CommandResult.accepted("holding");
  }

  /** HELD → RESTARTING → RUNNING: the phase continues where the hold stopped it. */
  public CommandResult restart() {
    if (state != ProcedureState.HELD) {
      return refused("restart", "restart is allowed while HELD");
    }
    setState(ProcedureState.RESTARTING, "restart requested");
    return CommandResult.accepted("restarting");
  }

  /** RUNNING, HOLDING, HELD or RESTARTING → STOPPING → STOPPED. */
  public CommandResult stop() {
    if (state != ProcedureState.RUNNING
        && state != ProcedureState.HOLDING
        && state != ProcedureState.HELD
        && state != ProcedureState.RESTARTING) {
      return refused("stop", "stop is allowed while RUNNING, HOLDING, HELD or RESTARTING");
    }
    setState(ProcedureState.STOPPING, "stop requested");
    return CommandResult.accepted("stopping");
  }

  /** Any state but IDLE, ABORTING, ABORTED and COMPLETE → ABORTING → ABORTED. */
  public CommandResult abort() {
    if (state == ProcedureState.IDLE
        || state == ProcedureState.ABORTING
        || state == ProcedureState.ABORTED
        || state == ProcedureState.COMPLETE) {
      return refused("abort", "abort is allowed once started and before the recipe has ended");
    }
    setState(ProcedureState.ABORTING, "abort requested");
    return CommandResult.accepted("aborting");
  }

  /**
   * An operator answers prompt {@code promptId} of the current phase (for a {@code confirm}
   * transition: {@link #TRANSITION_PROMPT}); allowed while RUNNING, HOLDING or HELD.
   */
  public CommandResult confirm(String promptId, String actor) {
    if (state != ProcedureState.RUNNING
        && state != ProcedureState.HOLDING
        && state != ProcedureState.HELD) {
      return refused("confirm", "prompts are answered while RUNNING, HOLDING or HELD");
    }
    Map<String, String> open = openPrompts();
    if (!open.containsKey(promptId)) {
      return CommandResult.rejected(
          answered.contains(promptId)
              ? "prompt '" + promptId + "' of phase " + phase().id() + " is already answered"
              : "phase "
                  + phase().id()
                  + " has no open prompt '"
                  + promptId
                  + "' (open: "
                  + (open.isEmpty() ? "none" : String.join(", ", open.keySet()))
                  + ")");
    }
    answered.add(promptId);
    emit(
        Kind.PROMPT_ANSWERED,
        promptId,
        "'" + open.get(promptId) + "' answered by " + (actor == null ? "unknown" : actor));
    return CommandResult.accepted("prompt " + promptId + " answered");
  }

  // ---- inputs ----

  /** A sample of a signal (or {@code our}); only the current phase's condition uses it. */
  public void onSignal(String signalId, double value, boolean good) {
    if (condition != null && condition.signal().equals(signalId)) {
      condition.sample(clock.now(), value, good);
    }
  }

  /** Completes acting states, moves ramps and ends phases whose transition holds. */
  public void tick() {
    Instant now = clock.now();
    switch (state) {
      case HOLDING -> setState(ProcedureState.HELD, "held in phase " + phase().id());
      case RESTARTING -> {
        heldS += ConditionTracker.seconds(heldSince, now);
        heldSince = null;
        setState(ProcedureState.RUNNING, "running again in phase " + phase().id());
      }
      case STOPPING -> setState(ProcedureState.STOPPED, "stopped in phase " + phaseName());
      case ABORTING -> setState(ProcedureState.ABORTED, "aborted in phase " + phaseName());
      case RUNNING -> run(now);
      default -> {}
    }
  }

  private void run(Instant now) {
    double elapsedS = phaseElapsedS();
    Phase phase = phase();
    for (Setpoint sp : phase.setpoints()) {
      if (sp.ramp() != null) {
        ramp(sp, elapsedS, now);
      }
    }
    if (!openPrompts().isEmpty()) {
      return;
    }
    Recipe.Transition t = phase.transition();
    boolean done =
        t.afterH() != null
            ? elapsedS >= t.afterH() * 3600.0
            : t.condition() == null || condition.satisfied(now);
    if (!done) {
      return;
    }
    emit(
        Kind.PHASE_COMPLETED,
        null,
        "phase "
            + phase.id()
            + " completed after "
            + String.format(java.util.Locale.ROOT, "%.2f", elapsedS / 3600.0)
            + " h ("
            + describe(t)
            + ")");
    if (phaseIndex + 1 < recipe.phases().size()) {
      enterPhase(phaseIndex + 1);
    } else {
      setState(ProcedureState.COMPLETE, "recipe " + recipe.name() + " complete");
    }
  }

  private void ramp(Setpoint sp, double elapsedS, Instant now) {
    double value = sp.ramp().valueAt(elapsedS);
    boolean ended = elapsedS >= sp.ramp().overH() * 3600.0;
    Double last = rampSent.get(sp.key());
    Instant at = rampSentAt.get(sp.key());
    boolean due = at == null || ConditionTracker.seconds(at, now) >= rampUpdateS;
    if ((last == null || last != value) && (due || (ended && last != null && last != value))) {
      send(sp, value);
      rampSent.put(sp.key(), value);
      rampSentAt.put(sp.key(), now);
    }
  }

  // ---- phases ----

  private void enterPhase(int index) {
    phaseIndex = index;
    phaseStartedAt = clock.now();
    heldS = 0;
    heldSince = null;
    answered.clear();
    rampSent.clear();
    rampSentAt.clear();
    Phase phase = phase();
    newCondition(phaseStartedAt);
    emit(
        Kind.PHASE_STARTED,
        null,
        "phase "
            + phase.id()
            + " ("
            + (index + 1)
            + " of "
            + recipe.phases().size()
            + ") started; ends "
            + describe(phase.transition()));
    for (Setpoint sp : phase.setpoints()) {
      if (sp.ramp() == null) {
        send(sp, sp.value());
      }
    }
    run(phaseStartedAt); // ramps start at once; prompts below keep the phase from ending
    if (phaseIndex == index && state == ProcedureState.RUNNING) {
      openPrompts().forEach((id, question) -> emit(Kind.PROMPT_RAISED, id, question));
    }
  }

  private void newCondition(Instant origin) {
    Recipe.Condition c = phase().transition().condition();
    condition = c == null ? null : new ConditionTracker(c, origin);
  }

  private void send(Setpoint sp, double value) {
    ControlCommand c =
        sp.cascade()
            ? new ControlCommand.SetCascadeSetpoint(sp.loop(), value, ACTOR)
            : new ControlCommand.SetSetpoint(sp.loop(), value, ACTOR);
    CommandResult r = outputs.command(c);
    if (r == null || !r.accepted()) {
      emit(
          Kind.SETPOINT_REFUSED,
          sp.key(),
          "setpoint "
              + value
              + " of "
              + sp.key()
              + " refused: "
              + (r == null ? "no answer" : r.message()));
    }
  }

  /** Prompt id → question, of the current phase, not yet answered, in recipe order. */
  private Map<String, String> openPrompts() {
    Map<String, String> open = new java.util.LinkedHashMap<>();
    if (phaseIndex < 0) {
      return open;
    }
    for (Recipe.Prompt p : phase().prompts()) {
      if (!answered.contains(p.id())) {
        open.put(p.id(), p.question());
      }
    }
    String confirm = phase().transition().confirm();
    if (confirm != null && !answered.contains(TRANSITION_PROMPT)) {
      open.put(TRANSITION_PROMPT, confirm);
    }
    return open;
  }

  private static String describe(Recipe.Transition t) {
    if (t.afterH() != null) {
      return "after " + t.afterH() + " h";
    }
    if (t.condition() != null) {
      return "when " + t.condition().describe();
    }
    return "when an operator confirms: " + t.confirm();
  }

  // ---- state ----

  private CommandResult refused(String command, String rule) {
    return CommandResult.rejected(
        "cannot " + command + " recipe " + recipe.name() + ": it is " + state + " (" + rule + ")");
  }

  private void setState(ProcedureState next, String message) {
    state = next;
    emit(Kind.STATE_CHANGED, null, message);
  }

  private void emit(Kind kind, String subject, String message) {
    outputs.event(
        new RecipeEvent(
            clock.now(),
            kind,
            phaseIndex,
            phaseIndex < 0 ? null : phase().id(),
            state,
            subject,
            message));
  }

  private String phaseName() {
    return phaseIndex < 0 ? "(none)" : phase().id();
  }

  public Recipe recipe() {
    return recipe;
  }

  public ProcedureState state() {
    return state;
  }

  /** The current phase, or null before start. */
  public Phase phase() {
    return phaseIndex < 0 ? null : recipe.phases().get(phaseIndex);
  }

  public int phaseIndex() {
    return phaseIndex;
  }

  /** Seconds the current phase has run, held time excluded; 0 before start. */
  public double phaseElapsedS() {
    if (phaseStartedAt == null) {
      return 0;
    }
    Instant now = clock.now();
    double held = heldS + (heldSince == null ? 0 : ConditionTracker.seconds(heldSince, now));
    return Math.max(0, ConditionTracker.seconds(phaseStartedAt, now) - held);
  }

  /** The current phase's unanswered prompts (id → question). */
  public Map<String, String> pendingPrompts() {
    return openPrompts();
  }

  /** What to save so that {@link #resume} continues from here. */
  public RecipeProgress progress() {
    return new RecipeProgress(
        recipe.sha256(), state, phaseIndex, phaseStartedAt, heldS, heldSince, Set.copyOf(answered));
  }

  /** The commands this state accepts, for the console's buttons. */
  public List<String> allowedCommands() {
    List<String> out = new ArrayList<>();
    switch (state) {
      case IDLE -> out.add("start");
      case RUNNING -> out.addAll(List.of("hold", "stop", "abort"));
      case HOLDING -> out.addAll(List.of("stop", "abort"));
      case HELD -> out.addAll(List.of("restart", "stop", "abort"));
      case RESTARTING -> out.addAll(List.of("stop", "abort"));
      case STOPPING, STOPPED -> out.add("abort");
      default -> {}
    }
    if (!openPrompts().isEmpty()
        && (state == ProcedureState.RUNNING
            || state == ProcedureState.HOLDING
            || state == ProcedureState.HELD)) {
      out.add("confirm");
    }
    return out;
  }
}
