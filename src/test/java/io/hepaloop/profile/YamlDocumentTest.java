package io.hepaloop.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class YamlDocumentTest {
  private static final String YAML =
      """
      model: x
      signals:
        - id: a
          range: { min: 1, max: 2 }

        - id: b
          range:
            min: 3
            max: 4
      """;

  @Test
  void everyKeyAndListItemKnowsItsLine() {
    YamlDocument doc = YamlDocument.parse("t.yaml", YAML);
    assertThat(doc.problems()).isEmpty();
    assertThat(doc.lineOf("model")).isEqualTo(1);
    assertThat(doc.lineOf("signals")).isEqualTo(2);
    assertThat(doc.lineOf("signals[0]")).isEqualTo(3);
    assertThat(doc.lineOf("signals[0].range.max")).isEqualTo(4);
    assertThat(doc.lineOf("signals[1]")).isEqualTo(6);
    assertThat(doc.lineOf("signals[1].range.max")).isEqualTo(9);
  }

  @Test
  void aPathThatIsNotInTheFileIsLocatedAtItsNearestAncestor() {
    YamlDocument doc = YamlDocument.parse("t.yaml", YAML);
    assertThat(doc.lineOf("signals[1].nodeId")).isEqualTo(6);
    assertThat(doc.lineOf("watchdog.nodeId")).isEqualTo(1);
  }

  @Test
  void aKeyGivenTwiceIsAProblemAndTheFirstValueWins() {
    YamlDocument doc = YamlDocument.parse("t.yaml", "a: 1\nb: 2\na: 3\n");
    assertThat(doc.root().get("a").asInt()).isEqualTo(1);
    assertThat(doc.problems())
        .singleElement()
        .hasToString(
            "t.yaml:3: a: duplicate key 'a' (first given at line 1; only that one is used)");
  }

  @Test
  void aSyntaxErrorIsReportedAtItsLineInWordsWithoutTheParsersQuotation() {
    YamlDocument doc = YamlDocument.parse("t.yaml", "a: 1\nb: [1, 2\nc: 3\n");
    assertThat(doc.root()).isNull();
    assertThat(doc.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(3);
              assertThat(p.path()).isEqualTo("(yaml)");
              assertThat(p.message())
                  .startsWith("YAML syntax error: expected ',' or ']'")
                  .doesNotContain("\n");
            });
  }

  @Test
  void aTabUsedForIndentationIsReportedOnItsOwnLine() {
    YamlDocument doc = YamlDocument.parse("t.yaml", "a:\n\t- x\n");
    assertThat(doc.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(2);
              assertThat(p.message()).contains("TAB");
            });
  }

  @Test
  void anAliasOrMergeKeyIsRefusedRatherThanReadAsTheAnchorsName() {
    YamlDocument doc =
        YamlDocument.parse("t.yaml", "a: &r { min: 0, max: 1 }\nb: *r\nc:\n  <<: *r\n  max: 3\n");
    assertThat(doc.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "t.yaml:2: b: YAML aliases (*r) are not supported here: write the value out",
            "t.yaml:4: c.<<: YAML merge keys (<<) are not supported here: write the keys out");
  }
}
