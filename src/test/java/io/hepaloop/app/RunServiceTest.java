package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.api.RunAccess;
import io.hepaloop.api.RunAccess.NewRun;
import io.hepaloop.api.RunAccess.Outcome;
import io.hepaloop.api.RunAccess.RunRefused;
import io.hepaloop.api.RunAccess.RunView;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.plantstate.RunEventRecord;
import io.hepaloop.plantstate.RunRecord;
import io.hepaloop.plantstate.RunTables;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run service on a manual clock with fake control contexts over a real database: a run of the
 * shipped recipe advances through its phases, its state and progress are stored, and a new service
 * over the same database (a restart) resumes it in the right phase at the right offset, from the
 * recipe text stored with the run even after the file was edited.
 */
class RunServiceTest {
  static final String RECIPE = "hepatocyte-perfusion-standard";
  static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

  @TempDir Path tmp;
  Vertx vertx;
  Store store;
  RunTables tables;
  ManualClock clock = new ManualClock(T0);
  Path recipes;
  DeviceProfile profile;
  FakeControlContexts contexts;
  final List<String> alarms = new CopyOnWriteArrayList<>();
  final List<String> tags = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    store = Store.open(tmp.resolve("data"));
    tables = new RunTables(store);
    recipes = Files.createDirectories(tmp.resolve("recipes"));
    Files.copy(Path.of("recipes", RECIPE + ".yaml"), recipes.resolve(RECIPE + ".yaml"));
    profile = ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
    contexts = new FakeControlContexts(vertx, "r1", "r2");
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    tables.close();
    store.close();
  }

  RunService service() throws Exception {
    RunService s =
        new RunService(tables, recipes, Map.of("r1", profile, "r2", profile), contexts, clock)
            .withTickMs(0)
            .withPhaseAlarms((r, a) -> alarms.add(r + ":" + describe(a)))
            .withRunTag(
                new RunTag() {
                  @Override
                  public void runOpened(String reactorId, String runId, double cellsSeeded) {
                    tags.add(reactorId + "=" + runId + "@" + cellsSeeded);
                  }

                  @Override
                  public void runEnded(String reactorId) {
                    tags.add(reactorId + " ended");
                  }
                });
    vertx.deployVerticle(s).await(30, TimeUnit.SECONDS);
    return s;
  }

  static String describe(Recipe.PhaseAlarms a) {
    return a.overrides().stream().map(o -> o.id() + "=" + o.limit()).toList() + "/" + a.suppress();
  }

  static NewRun newRun(String reactor) {
    return new NewRun(reactor, RECIPE, "ipsc_hlc", "line 7", 1e7, "PLGA", "HCM", null);
  }

  void advance(Duration d) {
    clock.advance(d);
  }

  @Test
  void aRunAdvancesThroughItsPhasesAndResumesAfterARestartAtTheSameOffset() throws Exception {
    RunService s = service();
    RunView created = s.create(newRun("r1"), "olga", false).await(30, TimeUnit.SECONDS);
    String id = created.record().runId();
    assertThat(id).isEqualTo("r1-20260301-080000");
    assertThat(created.state()).isEqualTo("IDLE");
    assertThat(created.allowedCommands()).containsExactly("start");
    assertThat(created.record().operator()).isEqualTo("olga");
    assertThat(s.runIdOf("r1")).isEqualTo(id);
    assertThat(s.runIdOf("r2")).isNull();
    assertThat(tags).containsExactly("r1=" + id + "@1.0E7");

    // a second run on the same reactor is refused, naming the open one
    assertThatThrownBy(() -> s.create(newRun("r1"), "olga", false).await(30, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(RunRefused.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessageContaining(id);

    Outcome hold = s.command(id, "hold", "olga").await(30, TimeUnit.SECONDS);
    assertThat(hold.accepted()).isFalse();
    assertThat(hold.message()).contains("IDLE");

    Outcome start = s.command(id, "start", "olga").await(30, TimeUnit.SECONDS);
    assertThat(start.accepted()).as(start.message()).isTrue();
    assertThat(start.stateBefore()).isEqualTo("IDLE");
    assertThat(start.run().state()).isEqualTo("RUNNING");
    assertThat(start.run().phaseId()).isEqualTo("attachment");
    assertThat(start.run().openPrompts())
        .extracting(RunAccess.Prompt::id)
        .containsExactly("seeded");
    assertThat(start.run().record().startedAt()).isEqualTo(T0);
    assertThat(contexts.commands("r1"))
        .containsExactly(
            new ControlCommand.SetSetpoint("temperature", 37.0, "recipe"),
            new ControlCommand.SetSetpoint("flow", 0.5, "recipe"),
            new ControlCommand.SetCascadeSetpoint("oxygen", 40.0, "recipe"));
    assertThat(contexts.sent).allMatch(FakeControlContexts.Sent::onContext);
    assertThat(alarms).containsExactly("r1:[flow_deviation=0.1]/[our_decline]");

    // the phase waits for its prompt beyond its 24 h
    advance(Duration.ofHours(25));
    s.tickAll().await(30, TimeUnit.SECONDS);
    assertThat(s.get(id).await(30, TimeUnit.SECONDS).phaseId()).isEqualTo("attachment");
    assertThat(s.confirm(id, "seeded", "olga").await(30, TimeUnit.SECONDS).accepted()).isTrue();
    s.tickAll().await(30, TimeUnit.SECONDS);
    RunView maturation = s.get(id).await(30, TimeUnit.SECONDS);
    assertThat(maturation.phaseId()).isEqualTo("maturation");
    assertThat(maturation.phases()).hasSize(2);
    assertThat(maturation.phases().get(0).endedAt()).isEqualTo(T0.plus(Duration.ofHours(25)));
    assertThat(maturation.phases().get(1).name())
        .isEqualTo("Flow ramps to full perfusion over 48 h.");
    assertThat(alarms).last().isEqualTo("r1:[flow_deviation=0.15]/[our_decline]");

    // 6 h into the ramp, then a hold of 2 h that does not count
    advance(Duration.ofHours(6));
    s.tickAll().await(30, TimeUnit.SECONDS);
    assertThat(contexts.commands("r1"))
        .last()
        .isEqualTo(new ControlCommand.SetSetpoint("flow", 0.5625, "recipe"));
    assertThat(s.command(id, "hold", "olga").await(30, TimeUnit.SECONDS).accepted()).isTrue();
    s.tickAll().await(30, TimeUnit.SECONDS);
    advance(Duration.ofHours(2));
    s.tickAll().await(30, TimeUnit.SECONDS);

    tables.flush();
    RunRecord stored = tables.find(id).orElseThrow();
    assertThat(stored.state()).isEqualTo("HELD");
    assertThat(new JsonObject(stored.progressJson()).getInteger("phaseIndex")).isEqualTo(1);

    // the file is edited after the run started: the run keeps the version it started with
    Path file = recipes.resolve(RECIPE + ".yaml");
    Files.writeString(file, Files.readString(file).replace("afterH: 48", "afterH: 49"));

    // "restart": the service goes, a new one over the same database takes over
    vertx.undeploy(s.deploymentID()).await(30, TimeUnit.SECONDS);
    alarms.clear();
    RunService again = service();
    assertThat(again.runIdOf("r1")).isEqualTo(id);
    RunView resumed = again.get(id).await(30, TimeUnit.SECONDS);
    assertThat(resumed.state()).isEqualTo("HELD");
    assertThat(resumed.phaseId()).isEqualTo("maturation");
    assertThat(resumed.phaseElapsedS())
        .isCloseTo(6 * 3600.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(alarms).containsExactly("r1:[flow_deviation=0.15]/[our_decline]");

    assertThat(again.command(id, "restart", "olga").await(30, TimeUnit.SECONDS).accepted())
        .isTrue();
    again.tickAll().await(30, TimeUnit.SECONDS);
    advance(Duration.ofHours(41));
    again.tickAll().await(30, TimeUnit.SECONDS);
    assertThat(again.get(id).await(30, TimeUnit.SECONDS).phaseId()).isEqualTo("maturation");
    advance(Duration.ofHours(1));
    again.tickAll().await(30, TimeUnit.SECONDS);
    assertThat(again.get(id).await(30, TimeUnit.SECONDS).phaseId()).isEqualTo("stabilisation");

    // abort ends the run: no open run, alarms back to the profile's, telemetry back to the plant
    Outcome abort = again.command(id, "abort", "olga").await(30, TimeUnit.SECONDS);
    assertThat(abort.accepted()).isTrue();
    assertThat(abort.run().state()).isEqualTo("ABORTING");
    again.tickAll().await(30, TimeUnit.SECONDS);
    assertThat(again.runIdOf("r1")).isNull();
    assertThat(alarms).last().isEqualTo("r1:[]/[]");
    assertThat(tags).last().isEqualTo("r1 ended");
    RunView ended = again.get(id).await(30, TimeUnit.SECONDS);
    assertThat(ended.state()).isEqualTo("ABORTED");
    assertThat(ended.record().endedAt()).isEqualTo(T0.plus(Duration.ofHours(75)));
    assertThat(ended.phases())
        .extracting(RunAccess.PhaseTime::id)
        .containsExactly("attachment", "maturation", "stabilisation");
    Outcome late = again.command(id, "start", "olga").await(30, TimeUnit.SECONDS);
    assertThat(late.accepted()).isFalse();
    assertThat(late.message()).contains("ABORTED");

    List<RunEventRecord> events = again.events(id).await(30, TimeUnit.SECONDS);
    assertThat(events)
        .extracting(RunEventRecord::kind)
        .contains("PHASE_STARTED", "PROMPT_ANSWERED");
    assertThat(events).last().extracting(RunEventRecord::state).isEqualTo("ABORTED");

    // the reactor is free again
    advance(Duration.ofSeconds(1));
    RunView next = again.create(newRun("r1"), "olga", false).await(30, TimeUnit.SECONDS);
    assertThat(next.record().runId()).isNotEqualTo(id);
    assertThat(again.list("r1", null).await(30, TimeUnit.SECONDS))
        .extracting(v -> v.record().runId())
        .containsExactly(next.record().runId(), id);
  }

  @Test
  void strictModeCreatesRunsOnlyFromReleasedRecipesAndUnknownNamesAreRefused() throws Exception {
    RunService s = service();
    assertThatThrownBy(() -> s.create(newRun("r1"), "olga", true).await(30, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(RunRefused.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessageContaining("not released");
    assertThat(s.runIdOf("r1")).isNull();
    assertThatThrownBy(
            () ->
                s.create(
                        new NewRun("r1", "nope", "heparg", null, 1e6, "s", "m", null),
                        "olga",
                        false)
                    .await(30, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(RunRefused.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessageContaining(RECIPE);
    assertThatThrownBy(() -> s.create(newRun("r9"), "olga", false).await(30, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(RunRefused.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> s.get("nope").await(30, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(RunRefused.class, e -> assertThat(e.status()).isEqualTo(404));
  }
}
