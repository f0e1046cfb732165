package io.flowders.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlShellTest {

  @Test
  void statementsSplitAtSemicolonsOutsideQuotesAndComments() {
    assertThat(
            SqlShell.statements(
                "SELECT 1; SELECT ';' AS s, `a;b` FROM t -- no; split\n WHERE x = \"y;\";\n;"))
        .containsExactly(
            "SELECT 1", "SELECT ';' AS s, `a;b` FROM t -- no; split\n WHERE x = \"y;\"");
  }

  @Test
  void aCommentOnlyInputHasNoStatement() {
    assertThat(SqlShell.statements("-- nothing here;\n")).isEmpty();
  }

  @Test
  void exitAndQuitEndTheShellWithOrWithoutSemicolon() {
    assertThat(SqlShell.StatementParser.isExit("EXIT;")).isTrue();
    assertThat(SqlShell.StatementParser.isExit(" quit ")).isTrue();
    assertThat(SqlShell.StatementParser.isExit("exit_code;")).isFalse();
  }
}
