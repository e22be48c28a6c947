package io.hepaloop.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The migrations this code knows, read from the class path: {@code db/migration/index.txt} names
 * the files ({@code V1__users.sql}, {@code V2__...}) one per line, in order.
 *
 * <p>Why an index and not a directory listing: a class path entry inside a (shaded) jar cannot be
 * listed portably; a test checks that the index names every file of the directory.
 */
public final class Migrations {
  /** Where the migrations live on the class path. */
  public static final String DIRECTORY = "db/migration/";

  private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([A-Za-z0-9_]+)\\.sql");

  private Migrations() {}

  /** The migrations of this HepaLoop, versions 1..n in order. */
  public static List<Migration> fromClassPath() {
    List<Migration> out = new ArrayList<>();
    for (String line : read(DIRECTORY + "index.txt").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      Matcher m = NAME.matcher(name);
      if (!m.matches()) {
        throw new IllegalStateException(
            DIRECTORY + "index.txt: '" + name + "' is not named V<number>__<description>.sql");
      }
      int version = Integer.parseInt(m.group(1));
      if (version != out.size() + 1) {
        throw new IllegalStateException(
            DIRECTORY + "index.txt: " + name + " must be version " + (out.size() + 1));
      }
      out.add(new Migration(version, m.group(2).replace('_', ' '), read(DIRECTORY + name)));
    }
    return List.copyOf(out);
  }

  private static String read(String resource) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing class path resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }
}
