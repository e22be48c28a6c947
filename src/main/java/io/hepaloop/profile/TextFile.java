package io.hepaloop.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * A configuration file's text, or the one reason it has none: missing, too big, or not UTF-8 text.
 * Decided before any YAML parser sees a byte, so a 10 MB file or a binary costs one bounded read
 * and gets a sentence a person understands ("is 10485760 bytes; profiles are at most ...", "not a
 * text file: it holds a NUL byte") instead of a minute of parsing or a "YAML syntax error".
 *
 * @param text the file's text, or null when it could not be read (then {@code problem} says why)
 * @param problem why there is no text; null when there is
 */
record TextFile(String text, Problem problem) {
  /** 1 MiB: the shipped profiles are about 10 KB, a plant of 256 reactors about 30 KB. */
  static final int MAX_BYTES = 1 << 20;

  /**
   * Reads {@code file}; {@code kind} names what such files are in the size message ("profiles").
   * Never throws.
   */
  static TextFile read(Path file, String kind) {
    String name = file.toString();
    try {
      if (Files.isDirectory(file)) {
        return refused(name, 0, "is a directory, not a file");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        return refused(name, 0, tooBig(size + " bytes", kind));
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_BYTES + 1); // a device or a growing file can say it has fewer
      }
      if (bytes.length > MAX_BYTES) {
        return refused(name, 0, tooBig("more than " + MAX_BYTES + " bytes", kind));
      }
      return decode(name, bytes);
    } catch (NoSuchFileException e) {
      return refused(name, 0, "file not found");
    } catch (IOException e) {
      return refused(name, 0, "cannot read: " + e);
    }
  }

  /**
   * Text already in memory (tests, generated files): the same checks as a file's bytes get after
   * decoding, so nothing reaches the parser that a file could not bring.
   */
  static TextFile of(String name, String text) {
    if (text.length() > MAX_BYTES) {
      return refused(name, 0, tooBig(text.length() + " characters", "YAML documents"));
    }
    Problem p = unprintable(name, text);
    return p == null ? new TextFile(text, null) : new TextFile(null, p);
  }

  private static String tooBig(String size, String kind) {
    return "is " + size + "; " + kind + " are at most " + MAX_BYTES + " bytes (1 MiB)";
  }

  private static TextFile decode(String name, byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return refused(
            name,
            lineAt(bytes, i),
            "not a text file: it holds a NUL byte (YAML files are UTF-8 text)");
      }
    }
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = utf8.decode(in, out, true);
    if (result.isError()) {
      int at = in.position();
      return refused(
          name,
          lineAt(bytes, at),
          String.format(
              Locale.ROOT,
              "not a text file: byte 0x%02X is not UTF-8 (YAML files are UTF-8 text)",
              bytes[at] & 0xff));
    }
    utf8.flush(out);
    String text = out.flip().toString();
    Problem p = unprintable(name, text);
    return p == null ? new TextFile(text, null) : new TextFile(null, p);
  }

  /**
   * The first character YAML does not allow in a file (control characters but tab and line breaks,
   * U+FFFE, ...; SnakeYAML's own rule), as a problem; null when there is none. The YAML parser
   * reads through {@link WholeTextReader}, which relies on this having been checked.
   */
  static Problem unprintable(String name, String text) {
    int line = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!StreamReader.isPrintable(c)) {
        return new Problem(
            name,
            line,
            "(file)",
            String.format(
                Locale.ROOT,
                "not a text file: it holds control character U+%04X (YAML allows tab and line breaks only)",
                c));
      }
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
      }
      i += Character.charCount(c);
    }
    return null;
  }

  private static int lineAt(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n'
          || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
        line++;
      }
    }
    return line;
  }

  private static TextFile refused(String name, int line, String message) {
    return new TextFile(null, new Problem(name, line, "(file)", message));
  }
}
