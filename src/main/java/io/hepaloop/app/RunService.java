package io.hepaloop.app;

import io.hepaloop.api.RunAccess;
import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditEntry;
import io.hepaloop.audit.AuditTrail;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.LocalCodec;
import io.hepaloop.bus.RunChange;
import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.core.ActiveRuns;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.plantstate.OpenRunExistsException;
import io.hepaloop.plantstate.RunEventRecord;
import io.hepaloop.plantstate.RunNoteRecord;
import io.hepaloop.plantstate.RunRecord;
import io.hepaloop.plantstate.RunTables;
import io.hepaloop.profile.Checked;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.YamlDocument;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.recipe.RecipeLoader;
import io.hepaloop.run.ProcedureState;
import io.hepaloop.run.RecipeEvent;
import io.hepaloop.run.RecipeExecutor;
import io.hepaloop.run.RecipeOutputs;
import io.hepaloop.run.RecipeProgress;
import io.hepaloop.run.RunIdentity;
import io.hepaloop.telemetry.OurTracker;
import io.hepaloop.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plant's runs (docs/runs.md): one {@link RecipeExecutor} per open run, living on its reactor's
 * control context ({@link ControlContexts}), so that the recipe's setpoints go through the same
 * command door as an operator's (actor {@code recipe}) and nothing here ever blocks a loop.
 *
 * <ul>
 *   <li>Every {@link #DEFAULT_TICK_MS} ms (divided by the clock's speed) each executor ticks on its
 *       control context; the samples of the signal its phase's condition watches (or the reactor's
 *       OUR, derived here like the alarm service does) are fed to it.
 *   <li>Its events and progress are queued on {@link RunTables} (one writer thread, in order):
 *       progress at every change of state, phase or prompt, and every {@value #PROGRESS_EVERY_S} s.
 *   <li>At start the open runs of the database resume from their stored recipe text and progress,
 *       in their phase at their offset.
 *   <li>Run changes go to the event bus ({@link Addresses#RUNS}), phase alarm overrides to a {@link
 *       PhaseAlarmsSink}, the telemetry run tag to a {@link RunTag}; phase transitions and the end
 *       of a recipe, done by the recipe itself, to the audit trail as user {@code recipe}.
 * </ul>
 *
 * The API's actions ({@link RunAccess}) return futures at once: database work runs on workers,
 * executor work on the control contexts. {@link #runIdOf} answers from memory.
 */
public final class RunService extends VerticleBase implements ActiveRuns, RunAccess {
  private static final Logger LOG = LoggerFactory.getLogger(RunService.class);

  /** How often executors tick (real ms at speed 1). */
  public static final long DEFAULT_TICK_MS = 1000;

  /** Progress is saved at least this often (clock seconds) while nothing changes. */
  static final double PROGRESS_EVERY_S = 60;

  /** How often the OUR a condition may watch is derived (source time). */
  static final Duration OUR_INTERVAL = Duration.ofSeconds(10);

  private static final DateTimeFormatter ID_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern RECIPE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final RunTables tables;
  private final Path recipesDir;
  private final Map<String, DeviceProfile> profiles;
  private final ControlContexts contexts;
  private final Clock clock;
  private RunTag runTag = RunTag.NONE;
  private PhaseAlarmsSink phaseAlarms = PhaseAlarmsSink.NONE;
  private AuditTrail audit;
  private long tickMs = DEFAULT_TICK_MS;

  private final Map<String, Active> byReactor = new ConcurrentHashMap<>();
  private final Map<String, Active> byRunId = new ConcurrentHashMap<>();

  /** Open runs that could not be resumed: run id → why (reactor → run id below). */
  private final Map<String, String> unresumable = new ConcurrentHashMap<>();

  private final Map<String, String> unresumableByReactor = new ConcurrentHashMap<>();

  // --- this verticle's context only ---
  private final Map<String, OurTracker> ourTrackers = new HashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long timer = -1;

  /**
   * @param tables the run tables (the caller closes them after this service stopped)
   * @param recipesDir where {@code POST /api/runs} finds {@code <recipe>.yaml}; null: runs can only
   *     be resumed, not created
   * @param profilesByReactor every reactor runs may use, with its device profile
   * @param contexts the reactors' control contexts and command doors
   */
  public RunService(
      RunTables tables,
      Path recipesDir,
      Map<String, DeviceProfile> profilesByReactor,
      ControlContexts contexts,
      Clock clock) {
    if (tables == null || profilesByReactor == null || contexts == null || clock == null) {
      throw new IllegalArgumentException("tables, profiles, contexts and clock are required");
    }
    this.tables = tables;
    this.recipesDir = recipesDir;
    this.profiles = new LinkedHashMap<>(profilesByReactor);
    this.contexts = contexts;
    this.clock = clock;
  }

  /** Where the telemetry run tag goes (before deploying). */
  public RunService withRunTag(RunTag tag) {
    this.runTag = tag == null ? RunTag.NONE : tag;
    return this;
  }

  /** Where phase alarm overrides go (before deploying). */
  public RunService withPhaseAlarms(PhaseAlarmsSink sink) {
    this.phaseAlarms = sink == null ? PhaseAlarmsSink.NONE : sink;
    return this;
  }

  /** The audit trail for what the recipe itself does (before deploying); null records nothing. */
  public RunService withAudit(AuditTrail trail) {
    this.audit = trail;
    return this;
  }

  /** Tick period in real ms at speed 1; 0: no timer (tests call {@link #tickAll}). */
  public RunService withTickMs(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException("tickMs must be >= 0, got " + ms);
    }
    this.tickMs = ms;
    return this;
  }

  /** One open run and its executor. */
  private final class Active implements RecipeOutputs {
    final RunRecord record;
    final Recipe recipe;
    final AtomicBoolean ticking = new AtomicBoolean();
    volatile ProcedureState state;
    volatile String watched;

    // --- the reactor's control context only ---
    RecipeExecutor executor;
    ControlContexts.Door door;
    RecipeProgress saved;
    Instant savedAt;
    Instant startedAt;
    boolean ended;

    Active(RunRecord record, Recipe recipe) {
      this.record = record;
      this.recipe = recipe;
      this.startedAt = record.startedAt();
    }

    String runId() {
      return record.runId();
    }

    String reactorId() {
      return record.reactorId();
    }

    @Override
    public CommandResult command(ControlCommand c) {
      ControlContexts.Door d = door;
      return d == null ? CommandResult.rejected("no control context to send it on") : d.apply(c);
    }

    @Override
    public void event(RecipeEvent e) {
      onEvent(this, e);
    }
  }

  /** What only the executor knows, read on its control context. */
  private record Live(
      ProcedureState state,
      int phaseIndex,
      String phaseId,
      double phaseElapsedS,
      List<Prompt> prompts,
      List<String> allowed) {
    static Live of(RecipeExecutor e) {
      List<Prompt> prompts = new ArrayList<>();
      e.pendingPrompts().forEach((id, q) -> prompts.add(new Prompt(id, q)));
      return new Live(
          e.state(),
          e.phaseIndex(),
          e.phase() == null ? null : e.phase().id(),
          e.phaseElapsedS(),
          prompts,
          e.allowedCommands());
    }
  }

  private record Done(CommandResult result, String before, Live live) {}

  // ------------------------------------------------------------------ lifecycle

  @Override
  public Future<?> start() {
    LocalCodec.registerAll(vertx, RunChange.class, SampleBatch.class);
    return vertx
        .executeBlocking(this::resumeAll, false)
        .compose(
            resumed -> {
              resumed.forEach(this::opened);
              List<Future<Void>> ready = new ArrayList<>();
              for (Map.Entry<String, DeviceProfile> r : profiles.entrySet()) {
                ourTrackers.put(
                    r.getKey(),
                    new OurTracker(
                        r.getValue().oxygenSolubilityNmolPerMlMmHg(),
                        OUR_INTERVAL,
                        Duration.ofSeconds(10)));
                MessageConsumer<SampleBatch> c =
                    vertx
                        .eventBus()
                        .localConsumer(Addresses.samples(r.getKey()), m -> onSamples(m.body()));
                consumers.add(c);
                ready.add(c.completion());
              }
              if (tickMs > 0) {
                long period = Math.max(1, Math.round(tickMs / clock.speed()));
                timer = vertx.setPeriodic(period, t -> tickAll());
              }
              LOG.info(
                  "runs: {} open run(s) resumed{}",
                  resumed.size(),
                  unresumable.isEmpty() ? "" : ", not resumed: " + unresumable);
              return Future.all(ready);
            });
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    List<Future<Void>> f = new ArrayList<>();
    consumers.forEach(c -> f.add(c.unregister()));
    return Future.join(f);
  }

  /** Worker: the open runs of the database with executors resumed from their stored progress. */
  private List<Active> resumeAll() {
    List<Active> out = new ArrayList<>();
    for (RunRecord r : tables.open()) {
      DeviceProfile profile = profiles.get(r.reactorId());
      try {
        if (profile == null) {
          throw new IllegalArgumentException(
              "reactor " + r.reactorId() + " is no longer in the plant");
        }
        Recipe recipe = recipe(r.recipeName() + ".yaml", r.recipeText(), profile, r.recipeSha256());
        if (!RecipeLoader.sha256(r.recipeText().getBytes(StandardCharsets.UTF_8))
            .equals(r.recipeSha256())) {
          throw new IllegalArgumentException("the stored recipe text does not match its SHA-256");
        }
        Active a = new Active(r, recipe);
        if (r.progressJson() == null) {
          a.executor = new RecipeExecutor(recipe, clock, a);
        } else {
          RecipeProgress p = RunProgressJson.read(r.progressJson());
          a.executor = RecipeExecutor.resume(recipe, p, clock, a);
          a.saved = p;
          a.savedAt = clock.now();
        }
        a.state = a.executor.state();
        a.watched = watched(a.executor);
        out.add(a);
        LOG.info(
            "run {} on {} resumed: {} in phase {} at {} s",
            r.runId(),
            r.reactorId(),
            a.state,
            a.executor.phase() == null ? "-" : a.executor.phase().id(),
            Math.round(a.executor.phaseElapsedS()));
      } catch (RuntimeException e) {
        LOG.error("run {} on {} cannot be resumed: {}", r.runId(), r.reactorId(), e.getMessage());
        unresumable.put(r.runId(), e.getMessage());
        unresumableByReactor.put(r.reactorId(), r.runId());
      }
    }
    return out;
  }

  /** A run is open in this process: in the maps, tagged, its phase's alarms applied. */
  private void opened(Active a) {
    byReactor.put(a.reactorId(), a);
    byRunId.put(a.runId(), a);
    runTag.runOpened(a.reactorId(), a.runId(), a.record.cellsSeeded());
    Recipe.Phase phase = a.executor.phase();
    if (phase != null && !a.state.isFinal()) {
      phaseAlarms.apply(a.reactorId(), phase.alarms());
    }
    publish(a, a.saved == null ? "CREATED" : "RESUMED", "run " + a.runId() + " is " + a.state);
  }

  // ------------------------------------------------------------------ ActiveRuns

  @Override
  public String runIdOf(String reactorId) {
    Active a = byReactor.get(reactorId);
    return a != null ? a.runId() : unresumableByReactor.get(reactorId);
  }

  // ------------------------------------------------------------------ ticking and signals

  /** Ticks every open run once on its control context; completes when all have. */
  public Future<Void> tickAll() {
    List<Future<?>> f = new ArrayList<>();
    for (Active a : byRunId.values()) {
      if (a.ticking.compareAndSet(false, true)) {
        f.add(
            onControl(
                    a,
                    e -> {
                      e.tick();
                      return null;
                    })
                .onComplete(x -> a.ticking.set(false)));
      }
    }
    return Future.join(f).mapEmpty();
  }

  /** Runs {@code action} on the run's control context, then saves what changed. */
  private <T> Future<T> onControl(Active a, Function<RecipeExecutor, T> action) {
    return contexts.call(
        a.reactorId(),
        door -> {
          a.door = door;
          try {
            T result = action.apply(a.executor);
            afterCall(a);
            return result;
          } finally {
            a.door = null;
          }
        });
  }

  /** Control context: saves progress when it changed (or is due), ends a run that ended. */
  private void afterCall(Active a) {
    RecipeProgress p = a.executor.progress();
    Instant now = clock.now();
    a.state = p.state();
    a.watched = watched(a.executor);
    boolean ending = p.state().isFinal() && !a.ended;
    if (ending
        || !p.equals(a.saved)
        || a.savedAt == null
        || Duration.between(a.savedAt, now).toMillis() >= PROGRESS_EVERY_S * 1000) {
      tables.saveProgress(
          a.runId(),
          p.state().name(),
          RunProgressJson.write(p),
          now,
          a.startedAt,
          ending ? now : null);
      a.saved = p;
      a.savedAt = now;
    }
    if (ending) {
      a.ended = true;
      byReactor.remove(a.reactorId(), a);
      byRunId.remove(a.runId(), a);
      phaseAlarms.apply(a.reactorId(), Recipe.PhaseAlarms.NONE);
      runTag.runEnded(a.reactorId());
      LOG.info("run {} on {} ended: {}", a.runId(), a.reactorId(), p.state());
    }
  }

  /** Control context: an executor event is logged, published, applied and audited. */
  private void onEvent(Active a, RecipeEvent e) {
    if (e.kind() == RecipeEvent.Kind.STATE_CHANGED
        && e.state() == ProcedureState.RUNNING
        && a.startedAt == null) {
      a.startedAt = e.time();
    }
    tables.appendEvent(
        new RunEventRecord(
            0,
            a.runId(),
            e.time(),
            e.kind().name(),
            e.phaseIndex(),
            e.phaseId(),
            e.state().name(),
            e.subject(),
            e.message()));
    vertx
        .eventBus()
        .publish(
            Addresses.RUNS,
            new RunChange(
                a.runId(),
                a.reactorId(),
                e.state().name(),
                e.phaseIndex(),
                e.phaseId(),
                e.kind().name(),
                e.message()));
    if (e.kind() == RecipeEvent.Kind.PHASE_STARTED) {
      phaseAlarms.apply(a.reactorId(), a.recipe.phases().get(e.phaseIndex()).alarms());
      if (e.phaseIndex() > 0) {
        audit(
            AuditAction.PHASE_TRANSITION,
            a.runId(),
            a.recipe.phases().get(e.phaseIndex() - 1).id(),
            e.phaseId(),
            e.message());
      }
    } else if (e.kind() == RecipeEvent.Kind.STATE_CHANGED && e.state() == ProcedureState.COMPLETE) {
      audit(AuditAction.RUN_COMPLETE, a.runId(), e.phaseId(), "COMPLETE", e.message());
    }
  }

  private void audit(
      AuditAction action, String runId, String oldValue, String newValue, String why) {
    if (audit == null) {
      return;
    }
    try {
      audit
          .enqueue(
              AuditEntry.of(
                  RecipeExecutor.ACTOR, null, action, runId, oldValue, newValue, why, runId))
          .whenComplete(
              (r, failure) -> {
                if (failure != null) {
                  LOG.error(
                      "audit record of {} of run {} not written: {}",
                      action.id(),
                      runId,
                      failure.getMessage());
                }
              });
    } catch (RuntimeException e) {
      LOG.error("audit record of {} of run {} not made: {}", action.id(), runId, e.getMessage());
    }
  }

  private void publish(Active a, String kind, String message) {
    Recipe.Phase phase = a.executor.phase();
    vertx
        .eventBus()
        .publish(
            Addresses.RUNS,
            new RunChange(
                a.runId(),
                a.reactorId(),
                a.state.name(),
                a.executor.phaseIndex(),
                phase == null ? null : phase.id(),
                kind,
                message));
  }

  private static String watched(RecipeExecutor e) {
    if (e.phase() == null || e.state().isFinal()) {
      return null;
    }
    Recipe.Condition c = e.phase().transition().condition();
    return c == null ? null : c.signal();
  }

  /** This context: the samples (or OUR) the run's current condition watches go to its executor. */
  private void onSamples(SampleBatch batch) {
    Active a = byReactor.get(batch.reactorId());
    if (a == null) {
      return;
    }
    String w = a.watched;
    OurTracker our = ourTrackers.get(batch.reactorId());
    List<Object[]> feed = new ArrayList<>();
    for (Sample s : batch.samples()) {
      if (our != null) {
        OurTracker.Derived d = our.accept(s);
        if (d != null && Recipe.Condition.OUR.equals(w)) {
          feed.add(
              new Object[] {
                Recipe.Condition.OUR, d.result().ourNmolPerMin(), d.result().quality().isGood()
              });
        }
      }
      if (w != null && w.equals(s.signalId())) {
        feed.add(new Object[] {w, s.value(), s.quality().isGood() && !s.stale()});
      }
    }
    if (feed.isEmpty()) {
      return;
    }
    contexts
        .call(
            a.reactorId(),
            door -> {
              for (Object[] f : feed) {
                a.executor.onSignal((String) f[0], (Double) f[1], (Boolean) f[2]);
              }
              return null;
            })
        .onFailure(e -> LOG.debug("run {}: samples not fed: {}", a.runId(), e.toString()));
  }

  // ------------------------------------------------------------------ RunAccess

  @Override
  public List<String> reactorIds() {
    return List.copyOf(profiles.keySet());
  }

  @Override
  public Future<RunView> create(NewRun n, String createdBy, boolean releasedOnly) {
    DeviceProfile profile = profiles.get(n.reactorId());
    if (profile == null) {
      return Future.failedFuture(
          new RunRefused(
              404,
              "Unknown reactor",
              "no reactor '" + n.reactorId() + "' (reactors: " + profiles.keySet() + ")"));
    }
    if (recipesDir == null) {
      return Future.failedFuture(
          new RunRefused(
              503, "No recipes", "this plant has no recipes directory to create runs from"));
    }
    if (n.recipe() == null || !RECIPE_NAME.matcher(n.recipe()).matches()) {
      return Future.failedFuture(
          new RunRefused(
              400, "Invalid request", "recipe: '" + n.recipe() + "' is not a recipe file name"));
    }
    return vertx
        .executeBlocking(() -> createBlocking(n, createdBy, releasedOnly, profile), false)
        .compose(
            a -> {
              opened(a);
              return get(a.runId());
            });
  }

  private Active createBlocking(NewRun n, String createdBy, boolean releasedOnly, DeviceProfile p)
      throws Exception {
    Path file = recipesDir.resolve(n.recipe() + ".yaml");
    if (!Files.isRegularFile(file)) {
      throw new RunRefused(
          404,
          "Unknown recipe",
          "no recipe '" + n.recipe() + "' in " + recipesDir + " " + recipeNames());
    }
    byte[] bytes = Files.readAllBytes(file);
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new RunRefused(422, "Invalid recipe", file + " is not UTF-8 text");
    }
    String sha = RecipeLoader.sha256(bytes);
    Recipe recipe;
    try {
      recipe = recipe(file.getFileName().toString(), text, p, sha);
    } catch (IllegalArgumentException e) {
      throw new RunRefused(
          422,
          "Invalid recipe",
          "recipe "
              + n.recipe()
              + " cannot run on reactor "
              + n.reactorId()
              + ": "
              + e.getMessage());
    }
    if (releasedOnly && !tables.isReleased(sha)) {
      throw new RunRefused(
          409,
          "Recipe not released",
          "recipe "
              + recipe.name()
              + " version "
              + recipe.version()
              + " (sha256 "
              + sha
              + ") is not released: in strict mode a run starts only from a released recipe"
              + " version (POST /api/recipes/"
              + n.recipe()
              + "/release)");
    }
    Instant now = clock.now();
    String operator = n.operator() == null ? createdBy : n.operator();
    RunRecord rec =
        new RunRecord(
            RunIdentity.checkId(n.reactorId() + "-" + ID_STAMP.format(now)),
            n.reactorId(),
            recipe.name(),
            recipe.version(),
            sha,
            text,
            n.cellSource(),
            n.cellSourceDetail(),
            n.cellsSeeded(),
            n.scaffold(),
            n.medium(),
            operator,
            now,
            createdBy,
            null,
            null,
            ProcedureState.IDLE.name(),
            null,
            now);
    try {
      rec = tables.create(rec);
    } catch (OpenRunExistsException e) {
      throw new RunRefused(409, "Run already open", e.getMessage());
    }
    Active a = new Active(rec, recipe);
    a.executor = new RecipeExecutor(recipe, clock, a);
    a.state = ProcedureState.IDLE;
    LOG.info(
        "run {} created on {} from recipe {} {}",
        rec.runId(),
        rec.reactorId(),
        recipe.name(),
        recipe.version());
    return a;
  }

  private String recipeNames() {
    try (Stream<Path> files = Files.list(recipesDir)) {
      return "(recipes: "
          + files
              .map(f -> f.getFileName().toString())
              .filter(f -> f.endsWith(".yaml"))
              .map(f -> f.substring(0, f.length() - 5))
              .sorted()
              .collect(Collectors.joining(", "))
          + ")";
    } catch (java.io.IOException e) {
      return "(cannot list it: " + e.getMessage() + ")";
    }
  }

  /** The recipe in {@code text}, checked against {@code profile}. */
  private static Recipe recipe(String fileName, String text, DeviceProfile profile, String sha) {
    Checked<Recipe> c = RecipeLoader.check(YamlDocument.parse(fileName, text), profile, sha);
    if (!c.ok()) {
      throw new IllegalArgumentException(
          c.problems().stream().map(Object::toString).collect(Collectors.joining("; ")));
    }
    return c.value();
  }

  @Override
  public Future<RunView> get(String runId) {
    Active a = byRunId.get(runId);
    if (a == null) {
      return view(runId, null, null);
    }
    return contexts
        .call(a.reactorId(), door -> Live.of(a.executor))
        .compose(live -> view(runId, live, a.recipe));
  }

  @Override
  public Future<List<RunView>> list(String reactorId, String state) {
    List<Active> open =
        byRunId.values().stream()
            .filter(a -> reactorId == null || a.reactorId().equals(reactorId))
            .toList();
    Map<String, Future<Live>> lives = new LinkedHashMap<>();
    for (Active a : open) {
      lives.put(a.runId(), contexts.call(a.reactorId(), door -> Live.of(a.executor)));
    }
    return Future.join(new ArrayList<>(lives.values()))
        .transform(
            x ->
                vertx.executeBlocking(
                    () -> {
                      List<RunView> out = new ArrayList<>();
                      for (RunRecord r : tables.list(reactorId, state)) {
                        Future<Live> live = lives.get(r.runId());
                        Active a = byRunId.get(r.runId());
                        out.add(
                            build(
                                r,
                                tables.events(r.runId()),
                                live != null && live.succeeded() ? live.result() : null,
                                a == null ? null : a.recipe));
                      }
                      return out;
                    },
                    false));
  }

  private Future<RunView> view(String runId, Live live, Recipe recipe) {
    return vertx.executeBlocking(
        () -> build(find(runId), tables.events(runId), live, recipe), false);
  }

  private RunRecord find(String runId) {
    return tables
        .find(runId)
        .orElseThrow(() -> new RunRefused(404, "Unknown run", "no run '" + runId + "'"));
  }

  /** Worker: the view of a stored run, with the executor's live state when it is open. */
  private RunView build(RunRecord r, List<RunEventRecord> events, Live live, Recipe recipe) {
    List<PhaseTime> phases = new ArrayList<>();
    for (RunEventRecord e : events) {
      if (e.kind().equals(RecipeEvent.Kind.PHASE_STARTED.name())) {
        if (!phases.isEmpty() && phases.get(phases.size() - 1).endedAt() == null) {
          PhaseTime last = phases.remove(phases.size() - 1);
          phases.add(new PhaseTime(last.index(), last.id(), last.name(), last.startedAt(), e.at()));
        }
        String name =
            recipe == null || e.phaseIndex() >= recipe.phases().size()
                ? null
                : recipe.phases().get(e.phaseIndex()).description();
        phases.add(new PhaseTime(e.phaseIndex(), e.phaseId(), name, e.at(), null));
      } else if (e.kind().equals(RecipeEvent.Kind.PHASE_COMPLETED.name()) && !phases.isEmpty()) {
        PhaseTime last = phases.remove(phases.size() - 1);
        phases.add(new PhaseTime(last.index(), last.id(), last.name(), last.startedAt(), e.at()));
      }
    }
    if (r.endedAt() != null && !phases.isEmpty()) {
      PhaseTime last = phases.get(phases.size() - 1);
      if (last.endedAt() == null) {
        phases.set(
            phases.size() - 1,
            new PhaseTime(last.index(), last.id(), last.name(), last.startedAt(), r.endedAt()));
      }
    }
    if (live != null) {
      return new RunView(
          r,
          live.state().name(),
          live.phaseIndex(),
          live.phaseId(),
          live.phaseElapsedS(),
          phases,
          live.prompts(),
          live.allowed());
    }
    int index = -1;
    String phaseId = null;
    double elapsedS = 0;
    if (r.progressJson() != null) {
      try {
        RecipeProgress p = RunProgressJson.read(r.progressJson());
        index = p.phaseIndex();
        PhaseTime current =
            phases.stream()
                .filter(t -> t.index() == p.phaseIndex())
                .reduce((x, y) -> y)
                .orElse(null);
        phaseId = current == null ? null : current.id();
        if (p.phaseStartedAt() != null) {
          Instant end = r.endedAt() != null ? r.endedAt() : r.updatedAt();
          double held = p.heldS() + (p.heldSince() == null ? 0 : seconds(p.heldSince(), end));
          elapsedS = Math.max(0, seconds(p.phaseStartedAt(), end) - held);
        }
      } catch (IllegalArgumentException e) {
        LOG.warn("run {}: {}", r.runId(), e.getMessage());
      }
    }
    return new RunView(r, r.state(), index, phaseId, elapsedS, phases, List.of(), List.of());
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  @Override
  public Future<Outcome> command(String runId, String command, String actor) {
    if (!COMMANDS.contains(command)) {
      return Future.failedFuture(
          new RunRefused(
              400,
              "Invalid request",
              "unknown run command '" + command + "'; commands: " + COMMANDS));
    }
    return act(
        runId,
        command,
        e ->
            switch (command) {
              case "start" -> e.start();
              case "hold" -> e.hold();
              case "restart" -> e.restart();
              case "stop" -> e.stop();
              default -> e.abort();
            });
  }

  @Override
  public Future<Outcome> confirm(String runId, String promptId, String actor) {
    return act(runId, "confirm", e -> e.confirm(promptId, actor));
  }

  private Future<Outcome> act(
      String runId, String command, Function<RecipeExecutor, CommandResult> action) {
    Active a = byRunId.get(runId);
    if (a == null) {
      return vertx
          .executeBlocking(() -> find(runId), false)
          .compose(
              r -> {
                String why = unresumable.get(runId);
                if (why != null) {
                  return Future.failedFuture(
                      new RunRefused(
                          409,
                          "Run not running",
                          "run "
                              + runId
                              + " is "
                              + r.state()
                              + " but could not be resumed: "
                              + why));
                }
                return view(runId, null, null)
                    .map(
                        v ->
                            new Outcome(
                                false,
                                "cannot "
                                    + command
                                    + " run "
                                    + runId
                                    + ": it is "
                                    + r.state()
                                    + " (the run has ended)",
                                r.state(),
                                v));
              });
    }
    return onControl(
            a,
            e -> {
              String before = e.state().name();
              CommandResult r = action.apply(e);
              return new Done(r, before, Live.of(e));
            })
        .compose(
            d ->
                view(runId, d.live(), a.recipe)
                    .map(
                        v ->
                            new Outcome(
                                d.result().accepted(), d.result().message(), d.before(), v)));
  }

  @Override
  public Future<List<RunEventRecord>> events(String runId) {
    return vertx.executeBlocking(
        () -> {
          find(runId);
          return tables.events(runId);
        },
        false);
  }

  @Override
  public Future<List<RunNoteRecord>> notes(String runId) {
    return vertx.executeBlocking(
        () -> {
          find(runId);
          return tables.notes(runId);
        },
        false);
  }

  @Override
  public Future<RunNoteRecord> addNote(String runId, Instant notedAt, String user, String text) {
    return vertx.executeBlocking(
        () -> {
          find(runId);
          Instant now = clock.now();
          return tables.addNote(runId, notedAt == null ? now : notedAt, now, user, text);
        },
        false);
  }
}
