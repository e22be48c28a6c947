package io.hepaloop.cli;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.sim.Layout;
import io.hepaloop.sim.Scenario;
import io.hepaloop.sim.ScenarioLoader;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hepaloop simulate}: simulated bioreactors as OPC UA servers any OPC UA client can use,
 * until Ctrl-C (or {@code --duration}).
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Run simulated bioreactors as OPC UA servers any OPC UA client can connect to.",
    footer = {
      "",
      "Examples:",
      "  hepaloop simulate                                  one reactor at opc.tcp://127.0.0.1:4840/hepaloop",
      "  hepaloop simulate --reactors 4 --scenario door-open --speed 60",
      "  hepaloop simulate --reactors r1,r2 --layout shared --security sign-and-encrypt \\",
      "      --users-env HEPALOOP_SIM_USERS --no-anonymous     (HEPALOOP_SIM_USERS=operator:secret)"
    })
public final class SimulateCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin ProfileOption profile;

  @Option(
      names = "--reactors",
      paramLabel = "N|ID,ID...",
      defaultValue = "1",
      description =
          "How many reactors (ids r1..rN) or a comma-separated list of ids (default: ${DEFAULT-VALUE}).")
  String reactors;

  @Option(
      names = "--layout",
      paramLabel = "per-reactor|shared",
      defaultValue = "per-reactor",
      description =
          "One server (port) per reactor, or one shared server with a folder per reactor (default: ${DEFAULT-VALUE}).")
  String layout;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on and advertise (default: ${DEFAULT-VALUE}; 0.0.0.0 advertises the host name).")
  String bind;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "4840",
      description =
          "First port; reactor i listens on PORT+i; 0 = free ports (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--speed",
      paramLabel = "X",
      defaultValue = "1",
      description =
          "Simulated seconds per real second, e.g. 60 = an hour a minute (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--scenario",
      paramLabel = "NAME|FILE",
      description =
          "Scenario from simulators/ (steady-culture, door-open, clogging-scaffold, sensor-faults) or a file.")
  String scenario;

  @Option(
      names = "--security",
      paramLabel = "none|sign-and-encrypt|both",
      defaultValue = "both",
      description =
          "Endpoints offered: None, Basic256Sha256/SignAndEncrypt, or both (default: ${DEFAULT-VALUE}).")
  String security;

  @Option(
      names = "--users-env",
      paramLabel = "VAR",
      description =
          "Environment variable holding username identities as user:password[,user:password...].")
  String usersEnv;

  @Option(names = "--no-anonymous", description = "Refuse anonymous sessions (needs --users-env).")
  boolean noAnonymous;

  @Option(
      names = "--pki-dir",
      paramLabel = "DIR",
      defaultValue = "data/simulator-pki",
      description =
          "Server certificate (generated once) and trusted/ and rejected/ client certificates (default: ${DEFAULT-VALUE}).")
  Path pkiDir;

  @Option(
      names = "--strict-trust",
      description =
          "Refuse client certificates not in PKI_DIR/trusted/certs "
              + "(default: accept and record them, fine on loopback).")
  boolean strictTrust;

  @Option(
      names = "--no-noise",
      description = "Sensors report the model's true values (no noise, drift or quantisation).")
  boolean noNoise;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the sensor noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description = "Stop after this many real seconds (default: run until Ctrl-C).")
  Double durationS;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SimulatorOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      err.println("hepaloop simulate: " + e.getMessage());
      err.flush();
      return 2;
    }
    Simulator sim;
    try {
      sim = Simulator.start(options);
    } catch (Exception e) {
      err.println("hepaloop simulate: could not start: " + e.getMessage());
      err.flush();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              sim.close();
              stopped.countDown();
            },
            "hepaloop-simulate-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    out.printf(
        "HepaLoop simulator: %d reactor(s), profile %s, speed %sx, scenario %s%n",
        options.reactorIds().size(),
        options.profile().model(),
        trim(options.speed()),
        options.scenario() == null ? "none" : options.scenario().name());
    List<String> endpoints = new ArrayList<>();
    if (options.allowNone()) {
      endpoints.add("None");
    }
    if (options.allowSignAndEncrypt()) {
      endpoints.add("Basic256Sha256/SignAndEncrypt");
    }
    List<String> identities = new ArrayList<>();
    if (options.allowAnonymous()) {
      identities.add("anonymous");
    }
    if (!options.users().isEmpty()) {
      identities.add("username (" + String.join(", ", options.users().keySet()) + ")");
    }
    out.printf(
        "security: %s; identities: %s; PKI: %s%n",
        String.join(" + ", endpoints), String.join(", ", identities), options.pkiDir());
    out.printf(
        "namespace %s; NodeIds like nsu=%s;s=%s.temperature%n",
        options.profile().namespaceUri(),
        options.profile().namespaceUri(),
        options.reactorIds().get(0));
    for (String id : sim.reactorIds()) {
      out.printf("  %-12s %s%n", id, sim.endpointUrl(id));
    }
    out.println(durationS == null ? "Ctrl-C stops." : "stopping after " + trim(durationS) + " s.");
    out.flush();

    if (durationS != null) {
      if (!stopped.await((long) (durationS * 1000), TimeUnit.MILLISECONDS)) {
        Runtime.getRuntime().removeShutdownHook(hook);
        sim.close();
      }
    } else {
      stopped.await();
    }
    return 0;
  }

  SimulatorOptions options() {
    Path root = Path.of(System.getenv().getOrDefault("HEPALOOP_ROOT", "."));
    DeviceProfile p = profile.load();
    Scenario sc = null;
    if (scenario != null) {
      sc = ScenarioLoader.load(ScenarioLoader.resolve(scenario, root.resolve("simulators")), p);
    }
    SimulatorOptions.Builder b =
        SimulatorOptions.builder()
            .profile(p)
            .reactorIds(reactorIds(reactors))
            .layout(layout(layout))
            .bindAddress(bind)
            .basePort(port)
            .speed(speed)
            .scenario(sc)
            .pkiDir(pkiDir)
            .trustAllClients(!strictTrust)
            .sensorNoise(!noNoise)
            .seed(seed)
            .allowAnonymous(!noAnonymous);
    switch (security.toLowerCase(Locale.ROOT)) {
      case "none" -> b.allowNone(true).allowSignAndEncrypt(false);
      case "sign-and-encrypt", "signandencrypt", "basic256sha256" ->
          b.allowNone(false).allowSignAndEncrypt(true);
      case "both" -> b.allowNone(true).allowSignAndEncrypt(true);
      default ->
          throw new IllegalArgumentException(
              "--security must be none, sign-and-encrypt or both, got '" + security + "'");
    }
    if (usersEnv != null) {
      b.users(users(usersEnv, System.getenv(usersEnv)));
    }
    return b.build();
  }

  static List<String> reactorIds(String spec) {
    String s = spec.trim();
    if (s.matches("\\d+")) {
      int n = Integer.parseInt(s);
      if (n < 1 || n > 4096) {
        throw new IllegalArgumentException("--reactors must be 1..4096, got " + n);
      }
      List<String> ids = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        ids.add("r" + i);
      }
      return ids;
    }
    List<String> ids = new ArrayList<>();
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        ids.add(part.trim());
      }
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("--reactors needs a number or a list of ids");
    }
    return ids;
  }

  static Layout layout(String s) {
    return switch (s.toLowerCase(Locale.ROOT).replace('_', '-')) {
      case "per-reactor", "server-per-reactor" -> Layout.SERVER_PER_REACTOR;
      case "shared", "shared-server" -> Layout.SHARED_SERVER;
      default ->
          throw new IllegalArgumentException(
              "--layout must be per-reactor or shared, got '" + s + "'");
    };
  }

  /**
   * Parses {@code user:password[,user:password]} from an environment variable (never from the
   * command line).
   */
  static Map<String, String> users(String var, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "--users-env " + var + ": the environment variable is not set");
    }
    Map<String, String> users = new LinkedHashMap<>();
    for (String entry : value.split(",")) {
      int colon = entry.indexOf(':');
      if (colon <= 0 || colon == entry.length() - 1) {
        throw new IllegalArgumentException(
            "--users-env " + var + ": entries must be user:password, got an entry without one");
      }
      users.put(entry.substring(0, colon).trim(), entry.substring(colon + 1));
    }
    return users;
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
