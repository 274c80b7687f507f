package io.cifarserve.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shell blocks of README.md and docs/: each {@code ```bash} block follows a line {@code <!--
 * run-by-test: ID -->} (a test runs it) or {@code <!-- not-run-by-test: REASON -->}.
 */
final class DocumentedCommands {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern RUN = Pattern.compile("<!-- run-by-test: ([a-z0-9-]+) -->");
  private static final Pattern NOT_RUN = Pattern.compile("<!-- not-run-by-test: .+ -->");

  private DocumentedCommands() {}

  /** A shell block: where it is, and its text. */
  record Block(Path file, int line, String text) {}

  /** The blocks a test runs, by id. */
  static Map<String, Block> runByTest() {
    Map<String, Block> blocks = new LinkedHashMap<>();
    for (Path file : markdown()) {
      List<String> lines = lines(file);
      for (int i = 0; i + 1 < lines.size(); i++) {
        Matcher run = RUN.matcher(lines.get(i).trim());
        if (run.matches() && lines.get(i + 1).equals("```bash")) {
          Block previous = blocks.put(run.group(1), block(file, lines, i + 1));
          if (previous != null) {
            throw new IllegalStateException("two blocks are called " + run.group(1));
          }
        }
      }
    }
    return blocks;
  }

  /** Blocks with no marker on the line before them, as {@code file:line}. */
  static List<String> unmarked() {
    List<String> found = new ArrayList<>();
    for (Path file : markdown()) {
      List<String> lines = lines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).equals("```bash")) {
          String before = i == 0 ? "" : lines.get(i - 1).trim();
          if (!RUN.matcher(before).matches() && !NOT_RUN.matcher(before).matches()) {
            found.add(ROOT.relativize(file) + ":" + (i + 1));
          }
        }
      }
    }
    return found;
  }

  private static Block block(Path file, List<String> lines, int fence) {
    StringBuilder text = new StringBuilder();
    for (int i = fence + 1; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
      text.append(text.isEmpty() ? "" : "\n").append(lines.get(i));
    }
    return new Block(file, fence + 1, text.toString());
  }

  private static List<Path> markdown() {
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
