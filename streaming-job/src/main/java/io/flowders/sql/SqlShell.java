package io.flowders.sql;

import io.flowders.job.JobConfig;
import io.flowders.job.SparkSessions;
import io.flowders.parse.Printable;
import io.flowders.settings.FlowdersSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code ./flowders sql}: SQL on catalog {@code lake} with the job's own session settings, since
 * the {@code spark-sql} CLI is not obtainable here. Statements end with {@code ;} and may span
 * lines; results print as untruncated tables.
 */
public final class SqlShell {

  /** Where the interactive history is kept (./flowders: .flowders/sql_history). */
  public static final String HISTORY = FlowdersSettings.SQL_HISTORY;

  /** Rows printed per result; Spark says so when there are more. */
  public static final int MAX_ROWS = 1000;

  static final String USAGE =
      "usage: sql [-e \"SQL\"]\n"
          + "  (no argument)  interactive: statements end with ';', exit or Ctrl-D quits\n"
          + "  -e \"SQL\"       run the statement(s), print the result, exit 1 on an error";
  private static final String PROMPT = "lake> ";
  private static final String CONTINUATION = "   -> ";

  /**
   * Takes lines until the statement ends with ';', so a multi-line statement is one history entry.
   */
  static final class StatementParser extends DefaultParser {

    StatementParser() {
      escapeChars(new char[0]);
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
      String text = line.strip();
      if (context == ParseContext.ACCEPT_LINE
          && !text.isEmpty()
          && !text.endsWith(";")
          && !isExit(text)) {
        throw new EOFError(-1, -1, "the statement continues until ';'");
      }
      return super.parse(line, cursor, context);
    }

    static boolean isExit(String text) {
      return text.strip().replaceAll(";$", "").matches("(?i)exit|quit");
    }
  }

  private final SparkSession spark;
  private final PrintStream out;
  private final PrintStream err;

  public SqlShell(SparkSession spark, PrintStream out, PrintStream err) {
    this.spark = spark;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) throws IOException {
    if (!(args.length == 0 || (args.length == 2 && args[0].equals("-e")))) {
      System.err.println(USAGE);
      System.exit(2);
    }
    JobConfig config = JobConfig.fromEnvironment();
    if (args.length == 0) {
      System.err.println("Starting Spark (" + config.sparkMaster() + ") with catalog lake...");
    }
    SparkSession spark = SparkSessions.builder(config).appName("flowders-sql").getOrCreate();
    int status;
    try {
      SqlShell shell = new SqlShell(spark, System.out, System.err);
      status = args.length == 2 ? (shell.run(args[1]) ? 0 : 1) : shell.interactive(historyFile());
    } finally {
      spark.stop();
    }
    System.exit(status);
  }

  /** Runs each statement of {@code text} in turn, printing its result; false at the first error. */
  public boolean run(String text) {
    for (String statement : statements(text)) {
      long started = System.nanoTime();
      try {
        print(spark.sql(statement));
      } catch (Exception e) {
        err.println("Error: " + firstLines(e));
        return false;
      }
      err.printf("(%.1f s)%n", (System.nanoTime() - started) / 1e9);
    }
    return true;
  }

  void print(Dataset<Row> result) {
    if (result.columns().length == 0) {
      result.collectAsList();
      out.println("OK");
    } else {
      // Rejected records hold whatever a producer sent: no escape sequence reaches the terminal.
      result
          .showString(MAX_ROWS, 0, false)
          .lines()
          .forEach(line -> out.println(Printable.escape(line)));
    }
    out.flush();
  }

  int interactive(Path history) throws IOException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      LineReaderBuilder builder =
          LineReaderBuilder.builder()
              .terminal(terminal)
              .appName("flowders-sql")
              .parser(new StatementParser())
              .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
              .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
      if (history != null) {
        builder.variable(LineReader.HISTORY_FILE, history);
      }
      LineReader reader = builder.build();
      terminal
          .writer()
          .println(
              "flowders SQL on catalog lake. Statements end with ';'. Try: SHOW TABLES IN lake.flowders;"
                  + "  exit or Ctrl-D quits.");
      while (true) {
        String statement;
        try {
          statement = reader.readLine(PROMPT);
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          return 0;
        }
        if (StatementParser.isExit(statement)) {
          return 0;
        }
        run(statement);
      }
    }
  }

  /** Statements separated by ';' outside quotes and comments; empty ones dropped. */
  static List<String> statements(String text) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    boolean lineComment = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (lineComment) {
        lineComment = c != '\n';
      } else if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
      } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
        lineComment = true;
      } else if (c == ';') {
        add(statements, current);
        continue;
      }
      current.append(c);
    }
    add(statements, current);
    return statements;
  }

  private static void add(List<String> statements, StringBuilder current) {
    String statement = current.toString().strip();
    if (!statement.isEmpty()
        && !statement.lines().allMatch(l -> l.strip().isEmpty() || l.strip().startsWith("--"))) {
      statements.add(statement);
    }
    current.setLength(0);
  }

  /** Spark's analysis errors carry the plan after the message; the message is what helps. */
  private static String firstLines(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.lines().limit(1).reduce((a, b) -> a + "\n" + b).orElse(message);
  }

  private static Path historyFile() {
    String file = System.getenv(HISTORY);
    return file == null || file.isBlank() ? null : Path.of(file);
  }
}
