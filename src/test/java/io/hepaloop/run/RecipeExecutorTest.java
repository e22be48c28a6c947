package io.hepaloop.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.recipe.Recipe.Condition;
import io.hepaloop.recipe.Recipe.Phase;
import io.hepaloop.recipe.Recipe.Prompt;
import io.hepaloop.recipe.Recipe.Ramp;
import io.hepaloop.recipe.Recipe.Setpoint;
import io.hepaloop.recipe.Recipe.Transition;
import io.hepaloop.run.RecipeEvent.Kind;
import io.hepaloop.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Verifies that the recipe executor runs an ISA-88 procedure on a stepped clock: phases advance on
 * time, conditions and prompts; ramps reach their ends at a bounded rate; hold, restart, stop and
 * abort are accepted only where ISA-88 allows them; and a rebuilt executor continues a phase at the
 * right offset.
 */
class RecipeExecutorTest {
  private final ManualClock clock = new ManualClock();
  private final Sink sink = new Sink();

  /** Records what the executor sends; refuses setpoints a predicate names. */
  static final class Sink implements RecipeOutputs {
    final List<Sent> commands = new ArrayList<>();
    final List<RecipeEvent> events = new ArrayList<>();
    Predicate<ControlCommand> refuse = c -> false;
    ManualClock clock;

    record Sent(Instant time, ControlCommand command) {}

    @Override
    public CommandResult command(ControlCommand command) {
      commands.add(new Sent(clock == null ? null : clock.now(), command));
      return refuse.test(command)
          ? CommandResult.rejected("outside its allowed range")
          : CommandResult.accepted("ok");
    }

    @Override
    public void event(RecipeEvent event) {
      events.add(event);
    }

    List<RecipeEvent> of(Kind kind) {
      return events.stream().filter(e -> e.kind() == kind).toList();
    }

    List<Double> setpoints(String loop) {
      return commands.stream()
          .map(Sent::command)
          .filter(c -> c instanceof ControlCommand.SetSetpoint s && s.loopId().equals(loop))
          .map(c -> ((ControlCommand.SetSetpoint) c).setpoint())
          .toList();
    }
  }

  RecipeExecutorTest() {
    sink.clock = clock;
  }

  static Phase phase(String id, Transition t, Setpoint... setpoints) {
    return new Phase(id, null, List.of(setpoints), null, List.of(), t);
  }

  static Transition after(double h) {
    return new Transition(h, null, null);
  }

  static Recipe recipe(Phase... phases) {
    return new Recipe("test", "1", null, "liver-perfusion-bioreactor", List.of(phases), "abc");
  }

  /** Ticks once a second for {@code seconds}. */
  void run(RecipeExecutor e, double seconds) {
    for (int i = 0; i < Math.round(seconds); i++) {
      clock.advanceSeconds(1);
      e.tick();
    }
  }

  @Test
  void phasesAdvanceOnTimeAndTheRecipeCompletes() {
    RecipeExecutor e =
        new RecipeExecutor(
            recipe(
                phase("attachment", after(1), new Setpoint("flow", null, 0.5, null)),
                phase("maintenance", after(2), new Setpoint("flow", null, 1.0, null))),
            clock,
            sink);

    assertThat(e.start().accepted()).isTrue();
    assertThat(e.state()).isEqualTo(ProcedureState.RUNNING);
    assertThat(sink.setpoints("flow")).containsExactly(0.5);
    run(e, 3599);
    assertThat(e.phase().id()).isEqualTo("attachment");
    run(e, 1);
    assertThat(e.phase().id()).isEqualTo("maintenance");
    assertThat(sink.setpoints("flow")).containsExactly(0.5, 1.0);
    run(e, 2 * 3600 - 1);
    assertThat(e.state()).isEqualTo(ProcedureState.RUNNING);
    run(e, 1);
    assertThat(e.state()).isEqualTo(ProcedureState.COMPLETE);
    assertThat(sink.of(Kind.PHASE_COMPLETED))
        .extracting(RecipeEvent::phaseId)
        .containsExactly("attachment", "maintenance");
    assertThat(sink.commands)
        .allSatisfy(c -> assertThat(c.command().actor()).isEqualTo(RecipeExecutor.ACTOR));
  }

  @Test
  void aCascadeSetpointGoesToTheOuterController() {
    RecipeExecutor e =
        new RecipeExecutor(
            recipe(phase("a", after(1), new Setpoint("oxygen", "cascade", 40.0, null))),
            clock,
            sink);
    e.start();
    assertThat(sink.commands)
        .extracting(Sink.Sent::command)
        .containsExactly(new ControlCommand.SetCascadeSetpoint("oxygen", 40.0, "recipe"));
  }

  @Test
  void aRampReachesBothEndsExactlyAndSendsAtMostOneSetpointPerInterval() {
    RecipeExecutor e =
        new RecipeExecutor(
            recipe(
                phase(
                    "maturation",
                    after(3),
                    new Setpoint("flow", null, null, new Ramp(0.5, 1.0, 2)))),
            clock,
            sink,
            60);
    e.start();
    run(e, 3 * 3600 - 10);

    List<Double> sent = sink.setpoints("flow");
    assertThat(sent.get(0)).isEqualTo(0.5);
    assertThat(sent.get(sent.size() - 1)).isEqualTo(1.0);
    assertThat(sent).isSorted().doesNotHaveDuplicates();
    assertThat(sent.size()).isBetween(2 * 60, 2 * 60 + 2);
    List<Instant> times = sink.commands.stream().map(Sink.Sent::time).toList();
    for (int i = 1; i < times.size(); i++) {
      assertThat(Duration.between(times.get(i - 1), times.get(i)).toSeconds())
          .as("interval before setpoint %d", i)
          .isGreaterThanOrEqualTo(60);
    }
    // halfway: halfway between the ends
    int half = sent.size() / 2;
    double elapsedH = Duration.between(times.get(0), times.get(half)).toSeconds() / 3600.0;
    assertThat(sent.get(half))
        .isCloseTo(0.5 + 0.5 * elapsedH / 2, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aRefusedSetpointIsReportedAndTheRecipeGoesOn() {
    sink.refuse = c -> true;
    RecipeExecutor e =
        new RecipeExecutor(
            recipe(phase("a", after(1), new Setpoint("flow", null, 9.0, null))), clock, sink);
    e.start();
    assertThat(sink.of(Kind.SETPOINT_REFUSED))
        .singleElement()
        .satisfies(
            ev -> assertThat(ev.message()).contains("flow", "9.0", "outside its allowed range"));
    run(e, 3600);
    assertThat(e.state()).isEqualTo(ProcedureState.COMPLETE);
  }

  @Nested
  class Conditions {
    @Test
    void aComparisonMustHoldContinuouslyForItsDurationAndABadSampleStartsTheWaitAgain() {
      Condition c = new Condition("do_outlet", 30.0, null, null, 1);
      RecipeExecutor e =
          new RecipeExecutor(
              recipe(phase("wait", new Transition(null, c, null)), phase("next", after(1))),
              clock,
              sink);
      e.start();
      for (int s = 0; s < 1800; s++) { // 30 min below
        clock.advanceSeconds(1);
        e.onSignal("do_outlet", 25, true);
        e.tick();
      }
      for (int s = 0; s < 3000; s++) { // 50 min above
        clock.advanceSeconds(1);
        e.onSignal("do_outlet", 35, true);
        e.tick();
      }
      e.onSignal("do_outlet", 35, false); // one bad sample: the hour counts from the next good one
      for (int s = 0; s < 3600; s++) {
        clock.advanceSeconds(1);
        e.onSignal("do_outlet", 35, true);
        e.tick();
      }
      assertThat(e.phase().id()).isEqualTo("wait");
      clock.advanceSeconds(1);
      e.onSignal("do_outlet", 35, true);
      e.tick();
      assertThat(e.phase().id()).isEqualTo("next");
      assertThat(sink.of(Kind.PHASE_COMPLETED).get(0).message())
          .contains("do_outlet above 30 for 1 h");
    }

    @Test
    void ourIsStableOnlyWhenEveryValueOfTheWindowIsWithinItsPercentOfTheMean() {
      Condition c = new Condition(Condition.OUR, null, null, 5.0, 1);
      RecipeExecutor e =
          new RecipeExecutor(
              recipe(phase("stabilise", new Transition(null, c, null)), phase("next", after(1))),
              clock,
              sink);
      e.start();
      // 2 h swinging ±10 % around 100: never stable
      for (int s = 0; s < 7200; s += 10) {
        clock.advanceSeconds(10);
        e.onSignal("our", s % 20 == 0 ? 110 : 90, true);
        e.tick();
      }
      assertThat(e.phase().id()).isEqualTo("stabilise");
      // then ±2 %
      int s = 0;
      while (e.phase().id().equals("stabilise") && s < 3 * 3600) {
        clock.advanceSeconds(10);
        s += 10;
        e.onSignal("our", s % 20 == 0 ? 102 : 98, true);
        e.tick();
      }
      assertThat(e.phase().id()).isEqualTo("next");
      // a full hour of stable buckets after the swing ended, at most one bucket more
      assertThat(s).isBetween(3600, 3600 + 2 * (int) ConditionTracker.BUCKET_S);
    }
  }

  @Nested
  class Prompts {
    @Test
    void aPhaseDoesNotEndUntilEveryPromptIsAnswered() {
      Phase p =
          new Phase(
              "attachment",
              null,
              List.of(),
              null,
              List.of(new Prompt("seeded", "Seeded?")),
              after(1));
      RecipeExecutor e = new RecipeExecutor(recipe(p, phase("next", after(1))), clock, sink);
      e.start();
      assertThat(sink.of(Kind.PROMPT_RAISED))
          .extracting(RecipeEvent::subject)
          .containsExactly("seeded");
      run(e, 2 * 3600);
      assertThat(e.phase().id()).isEqualTo("attachment");
      assertThat(e.pendingPrompts()).containsEntry("seeded", "Seeded?");

      assertThat(e.confirm("sown", "ann").message()).contains("no open prompt 'sown'", "seeded");
      assertThat(e.confirm("seeded", "ann").accepted()).isTrue();
      assertThat(e.confirm("seeded", "ann").message()).contains("already answered");
      run(e, 1);
      assertThat(e.phase().id()).isEqualTo("next");
      assertThat(sink.of(Kind.PROMPT_ANSWERED).get(0).message()).contains("Seeded?", "ann");
    }

    @Test
    void aConfirmTransitionEndsThePhaseWhenAnOperatorConfirms() {
      RecipeExecutor e =
          new RecipeExecutor(
              recipe(
                  phase("ready", new Transition(null, null, "Construct ready?")),
                  phase("next", after(1))),
              clock,
              sink);
      e.start();
      run(e, 24 * 3600);
      assertThat(e.phase().id()).isEqualTo("ready");
      assertThat(e.allowedCommands()).contains("confirm");
      e.confirm(RecipeExecutor.TRANSITION_PROMPT, "ann");
      run(e, 1);
      assertThat(e.phase().id()).isEqualTo("next");
    }
  }

  @Nested
  class Commands {
    RecipeExecutor ramping() {
      return new RecipeExecutor(
          recipe(
              phase(
                  "maturation", after(2), new Setpoint("flow", null, null, new Ramp(0.5, 1.0, 2))),
              phase("maintenance", after(1))),
          clock,
          sink);
    }

    @Test
    void holdFreezesTheRampAndThePhaseClockAndRestartContinuesWhereItStopped() {
      RecipeExecutor e = ramping();
      e.start();
      run(e, 3600);
      assertThat(e.hold().accepted()).isTrue();
      assertThat(e.state()).isEqualTo(ProcedureState.HOLDING);
      run(e, 1);
      assertThat(e.state()).isEqualTo(ProcedureState.HELD);
      int sent = sink.commands.size();
      run(e, 3 * 3600);
      assertThat(sink.commands).hasSize(sent);
      assertThat(e.phase().id()).isEqualTo("maturation");
      assertThat(e.phaseElapsedS()).isEqualTo(3600);

      assertThat(e.restart().accepted()).isTrue();
      assertThat(e.state()).isEqualTo(ProcedureState.RESTARTING);
      run(e, 1); // the restarting tick still counts as held
      assertThat(e.state()).isEqualTo(ProcedureState.RUNNING);
      assertThat(e.phaseElapsedS()).isEqualTo(3600);
      run(e, 3600 - 1);
      assertThat(e.phase().id()).isEqualTo("maturation");
      run(e, 1);
      assertThat(e.phase().id()).isEqualTo("maintenance");
      assertThat(sink.setpoints("flow")).last().isEqualTo(1.0);
      assertThat(sink.of(Kind.STATE_CHANGED))
          .extracting(RecipeEvent::state)
          .containsExactly(
              ProcedureState.RUNNING,
              ProcedureState.HOLDING,
              ProcedureState.HELD,
              ProcedureState.RESTARTING,
              ProcedureState.RUNNING);
    }

    @Test
    void commandsOutsideTheirStatesAreRefusedWithTheStateAndChangeNothing() {
      RecipeExecutor e = ramping();
      assertThat(e.hold().message()).contains("cannot hold", "IDLE", "allowed while RUNNING");
      assertThat(e.restart().accepted()).isFalse();
      assertThat(e.stop().accepted()).isFalse();
      assertThat(e.abort().message()).contains("cannot abort", "IDLE");
      assertThat(e.confirm("x", "ann").message()).contains("cannot confirm", "IDLE");
      assertThat(e.state()).isEqualTo(ProcedureState.IDLE);
      assertThat(sink.events).isEmpty();

      e.start();
      assertThat(e.start().message()).contains("cannot start", "RUNNING");
      assertThat(e.restart().message()).contains("cannot restart", "RUNNING", "HELD");
      e.hold();
      assertThat(e.hold().accepted()).isFalse();
      run(e, 1);
      assertThat(e.start().accepted()).isFalse();
      assertThat(e.state()).isEqualTo(ProcedureState.HELD);
    }

    @Test
    void stopEndsTheProcedureWhereItIsAndNothingRunsAfterIt() {
      RecipeExecutor e = ramping();
      e.start();
      run(e, 600);
      assertThat(e.stop().accepted()).isTrue();
      assertThat(e.state()).isEqualTo(ProcedureState.STOPPING);
      run(e, 1);
      assertThat(e.state()).isEqualTo(ProcedureState.STOPPED);
      int sent = sink.commands.size();
      run(e, 5 * 3600);
      assertThat(sink.commands).hasSize(sent);
      assertThat(e.restart().accepted()).isFalse();
      assertThat(e.hold().accepted()).isFalse();
      assertThat(e.abort().accepted()).as("ISA-88 allows abort from stopped").isTrue();
    }

    @Test
    void abortFromHeldEndsInAbortedAndNothingMoreIsAccepted() {
      RecipeExecutor e = ramping();
      e.start();
      e.hold();
      run(e, 1);
      assertThat(e.abort().accepted()).isTrue();
      assertThat(e.state()).isEqualTo(ProcedureState.ABORTING);
      run(e, 1);
      assertThat(e.state()).isEqualTo(ProcedureState.ABORTED);
      assertThat(e.state().isFinal()).isTrue();
      assertThat(e.abort().accepted()).isFalse();
      assertThat(e.restart().accepted()).isFalse();
      assertThat(e.allowedCommands()).isEmpty();
    }
  }

  @Nested
  class Restart {
    @Test
    void anExecutorRebuiltFromItsSavedProgressContinuesThePhaseAtTheRightOffset() {
      Recipe r =
          recipe(
              phase("attachment", after(1)),
              phase(
                  "maturation", after(4), new Setpoint("flow", null, null, new Ramp(0.5, 1.0, 4))),
              phase("maintenance", after(1)));
      RecipeExecutor first = new RecipeExecutor(r, clock, sink);
      first.start();
      run(first, 3600 + 1800); // 30 min into maturation
      first.hold();
      run(first, 600); // held 10 min
      first.restart();
      run(first, 1800); // 1 h into maturation (+1 s of restarting)
      RecipeProgress saved = first.progress();
      assertThat(saved.phaseIndex()).isEqualTo(1);
      assertThat(saved.heldS()).isEqualTo(601);

      clock.advanceSeconds(300); // the process is down for 5 min: real time runs on
      Sink after = new Sink();
      after.clock = clock;
      RecipeExecutor second = RecipeExecutor.resume(r, saved, clock, after);
      assertThat(second.state()).isEqualTo(ProcedureState.RUNNING);
      assertThat(second.phase().id()).isEqualTo("maturation");
      double offsetS = second.phaseElapsedS();
      assertThat(offsetS).isEqualTo(3600 + 300 - 1);

      second.tick();
      assertThat(after.setpoints("flow"))
          .singleElement()
          .satisfies(
              v ->
                  assertThat(v)
                      .isCloseTo(
                          0.5 + 0.5 * offsetS / (4 * 3600),
                          org.assertj.core.data.Offset.offset(1e-9)));
      double leftS = 4 * 3600 - offsetS;
      clock.advanceSeconds(leftS - 1);
      second.tick();
      assertThat(second.phase().id()).isEqualTo("maturation");
      clock.advanceSeconds(1);
      second.tick();
      assertThat(second.phase().id()).isEqualTo("maintenance");
      assertThat(after.setpoints("flow")).last().isEqualTo(1.0);
    }

    @Test
    void progressOfAnotherRecipeVersionIsRefused() {
      Recipe r = recipe(phase("a", after(1)));
      RecipeProgress other =
          new RecipeProgress(
              "0123", ProcedureState.RUNNING, 0, clock.now(), 0, null, java.util.Set.of());
      assertThatThrownBy(() -> RecipeExecutor.resume(r, other, clock, sink))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("version 0123");
    }
  }
}
