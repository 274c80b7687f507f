package io.cifarserve.common.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * A benchmark's report: a Markdown file named after the day and the benchmark, opening with what a
 * reader needs to weigh its figures (the machine, the commit and the command), then its tables.
 */
public final class DatedReport {

  private final String title;
  private final String command;
  private final StringBuilder body = new StringBuilder();

  public DatedReport(String title, String command) {
    this.title = title;
    this.command = command;
  }

  /** A paragraph or a finished Markdown table. */
  public DatedReport add(String markdown) {
    body.append(markdown.strip()).append("\n\n");
    return this;
  }

  public String render(LocalDate day, Machine machine, String commit) {
    return """
        # %s

        - **Date:** %s
        - **Machine:** %s
        - **Commit:** %s
        - **Command:** `%s`

        %s"""
        .formatted(title, day, machine.describe(), commit, command, body);
  }

  /** Writes {@code DAY-NAME.md} into {@code folder} and prints it; returns the file. */
  public Path write(Path folder, String name, Machine machine, String commit) throws IOException {
    LocalDate day = LocalDate.now();
    String text = render(day, machine, commit);
    Files.createDirectories(folder);
    Path file = folder.resolve(day + "-" + name + ".md");
    Files.writeString(file, text);
    System.out.println("\n" + text);
    System.out.println("Written to " + file);
    return file;
  }
}
