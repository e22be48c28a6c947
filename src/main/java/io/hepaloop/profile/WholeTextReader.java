package io.hepaloop.profile;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's character source, over a text already in memory, in linear time.
 *
 * <p>Why: SnakeYAML's own {@link StreamReader} reads 1024 characters at a time and on every read
 * copies its whole window from the start of the token being scanned. A token that spans many reads
 * — a comment or scalar of a megabyte on one line — is copied again at every 1024 characters:
 * quadratic. A 2 MB comment took 13 s (jfr: the time is in {@code StreamReader.update}), and
 * SnakeYAML 2.0 to 2.5 all do it. Here the whole file is one array of code points, so scanning
 * costs what the file is long.
 *
 * <p>It replaces every public method the scanner calls, with the same results as the original (see
 * {@code WholeTextReaderTest}, which also fails if a SnakeYAML upgrade adds one we do not
 * override). SnakeYAML's check for characters YAML does not allow lives in the method that is no
 * longer called: {@link TextFile#unprintable} must have passed the text first.
 */
final class WholeTextReader extends StreamReader {
  private static final int BYTE_ORDER_MARK = 0xFEFF;

  private final int[] codePoints;
  private int pointer;
  private int index;
  private int documentIndex;
  private int line;
  private int column;

  WholeTextReader(String text) {
    super("");
    this.codePoints = text.codePoints().toArray();
  }

  @Override
  public Mark getMark() {
    return new Mark("'reader'", index, line, column, codePoints, pointer);
  }

  @Override
  public void forward() {
    forward(1);
  }

  @Override
  public void forward(int length) {
    for (int i = 0; i < length && pointer < codePoints.length; i++) {
      int c = codePoints[pointer++];
      index++;
      documentIndex++;
      if (Constant.LINEBR.has(c)
          || (c == '\r' && pointer < codePoints.length && codePoints[pointer] != '\n')) {
        line++;
        column = 0;
      } else if (c != BYTE_ORDER_MARK) {
        column++;
      }
    }
  }

  @Override
  public int peek() {
    return pointer < codePoints.length ? codePoints[pointer] : '\0';
  }

  @Override
  public int peek(int offset) {
    int at = pointer + offset;
    return at < codePoints.length ? codePoints[at] : '\0';
  }

  @Override
  public String prefix(int length) {
    if (length == 0) {
      return "";
    }
    return new String(codePoints, pointer, Math.min(length, codePoints.length - pointer));
  }

  @Override
  public String prefixForward(int length) {
    String prefix = prefix(length);
    pointer += length;
    index += length;
    documentIndex += length;
    column += length;
    return prefix;
  }

  @Override
  public int getColumn() {
    return column;
  }

  @Override
  public int getIndex() {
    return index;
  }

  @Override
  public int getLine() {
    return line;
  }

  /** SnakeYAML 2.2 and later count code points per document here (for their code point limit). */
  public int getDocumentIndex() {
    return documentIndex;
  }

  /** SnakeYAML 2.2 and later: a new document starts. */
  public void resetDocumentIndex() {
    documentIndex = 0;
  }
}
