import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Source-level half of the hexagon rules (the bytecode half is {@code HexagonRules} in
 * architecture-tests). An unused import never reaches bytecode, so ArchUnit cannot see it, and
 * javac fails on a missing library with a message that names no rule; this check runs first, at
 * {@code validate}, and names the rule.
 *
 * <p>Usage, with the JDK's source launcher and nothing but {@code java.*}:
 * {@code java HexagonImports.java <sourceDir> <ruleName> <allowedPrefix>...}
 *
 * <p>Reads the {@code import} and {@code import static} declarations of every {@code .java} file
 * under {@code sourceDir} (comments skipped; the scan stops at the first type declaration). An
 * import is allowed when it starts with an allowed prefix: a prefix ending in {@code .} matches
 * as written ({@code io.realtime.port.}), any other matches that package or type and its members
 * ({@code io.realtime.domain} allows {@code io.realtime.domain.Envelope}, not
 * {@code io.realtime.domainx.Foo}; {@code java.} does not allow {@code javax.inject.Inject}).
 *
 * <p>Exit status: 0 if every import is allowed; 1 if not, with one line per offending import on
 * stderr; 2 on a usage error. Paths are printed relative to the working directory when under it.
 */
public final class HexagonImports {
  private HexagonImports() {}

  /** One import declaration: where it starts and the name it imports. */
  record Import(int line, String name) {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println(
          "usage: java HexagonImports.java <sourceDir> <ruleName> <allowedPrefix>...");
      System.exit(2);
    }
    Path sourceDir = Path.of(args[0]);
    String rule = args[1];
    List<String> allowed = List.of(args).subList(2, args.length);
    if (!Files.isDirectory(sourceDir)) {
      // a typo in the build must not pass as "no offending imports"
      System.err.printf("[hexagon] rule \"%s\": no source directory %s%n", rule, sourceDir);
      System.exit(2);
    }
    List<String> offences = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sourceDir)) {
      files = walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p))
          .sorted().collect(Collectors.toList());
    }
    for (Path file : files) {
      for (Import anImport : imports(Files.readString(file, StandardCharsets.UTF_8))) {
        if (!isAllowed(anImport.name(), allowed)) {
          offences.add(String.format("[hexagon] rule \"%s\" broken: %s:%d imports %s", rule,
              display(file), anImport.line(), anImport.name()));
        }
      }
    }
    if (!offences.isEmpty()) {
      offences.forEach(System.err::println);
      System.err.printf("[hexagon] rule \"%s\": %d import(s) outside %s%n", rule,
          offences.size(), String.join(", ", allowed));
      System.exit(1);
    }
  }

  /** True if {@code name} starts with one of {@code prefixes}, as described on the class. */
  static boolean isAllowed(String name, List<String> prefixes) {
    for (String prefix : prefixes) {
      boolean match = prefix.endsWith(".")
          ? name.startsWith(prefix)
          : name.equals(prefix) || name.startsWith(prefix + ".");
      if (match) {
        return true;
      }
    }
    return false;
  }

  /**
   * The import declarations of a compilation unit: its header is read statement by statement
   * (package, imports, and annotations on a package), skipping comments, and ends at the first
   * other token, so text further down (a text block, a comment) cannot look like an import.
   */
  static List<Import> imports(String source) {
    List<Import> result = new ArrayList<>();
    Cursor cursor = new Cursor(source);
    while (true) {
      cursor.skipBlanksAndComments();
      int line = cursor.line;
      boolean isImport = cursor.atWord("import");
      if (!isImport && !cursor.atWord("package") && !cursor.at('@')) {
        return result;
      }
      String statement = cursor.statement();
      if (statement == null) {
        return result;
      }
      if (isImport) {
        String name = statement.substring("import".length()).strip();
        if (name.startsWith("static") && name.length() > "static".length()
            && !Character.isJavaIdentifierPart(name.charAt("static".length()))) {
          name = name.substring("static".length());
        }
        result.add(new Import(line, name.replaceAll("\\s+", "")));
      } else if (!statement.matches("(?s).*\\bpackage\\b.*")) {
        return result; // an annotation on a type: the header is over
      }
    }
  }

  private static String display(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath();
    return (absolute.startsWith(cwd) ? cwd.relativize(absolute) : absolute).toString()
        .replace('\\', '/');
  }

  /** Position in a source text, with its line number. */
  private static final class Cursor {
    private final String text;
    private int pos;
    int line = 1;

    Cursor(String text) {
      this.text = text;
      if (text.startsWith("\uFEFF")) {
        pos = 1;
      }
    }

    void skipBlanksAndComments() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (Character.isWhitespace(c)) {
          advance(1);
        } else if (text.startsWith("//", pos)) {
          int end = text.indexOf('\n', pos);
          advance((end < 0 ? text.length() : end) - pos);
        } else if (text.startsWith("/*", pos)) {
          int end = text.indexOf("*/", pos + 2);
          advance((end < 0 ? text.length() : end + 2) - pos);
        } else {
          return;
        }
      }
    }

    boolean at(char c) {
      return pos < text.length() && text.charAt(pos) == c;
    }

    boolean atWord(String word) {
      int end = pos + word.length();
      return text.startsWith(word, pos)
          && (end == text.length() || !Character.isJavaIdentifierPart(text.charAt(end)));
    }

    /** Text up to the next {@code ;} outside comments, consumed with it; null if none. */
    String statement() {
      StringBuilder statement = new StringBuilder();
      while (pos < text.length()) {
        if (text.startsWith("//", pos) || text.startsWith("/*", pos)) {
          skipBlanksAndComments();
          statement.append(' ');
        } else if (at(';')) {
          advance(1);
          return statement.toString();
        } else {
          statement.append(text.charAt(pos));
          advance(1);
        }
      }
      return null;
    }

    private void advance(int count) {
      for (int i = 0; i < count; i++) {
        if (text.charAt(pos + i) == '\n') {
          line++;
        }
      }
      pos += count;
    }
  }
}
