package io.cifarserve.training.batch;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * A shard's JSON Lines file, opened to continue where an earlier attempt stopped. Complete lines
 * are kept and their files skipped; a last line cut off mid-write (the task was killed) is removed
 * and its file classified again. Lines are appended and flushed batch by batch, so a kill loses at
 * most the batch in progress, which the next attempt redoes: no file is written twice and none is
 * lost.
 */
final class ShardOutput implements AutoCloseable {

  private final BufferedWriter writer;
  private final Set<String> done;
  private final int droppedPartialLines;

  private ShardOutput(BufferedWriter writer, Set<String> done, int droppedPartialLines) {
    this.writer = writer;
    this.done = done;
    this.droppedPartialLines = droppedPartialLines;
  }

  /**
   * @param fileOf reads a complete line's file path, or returns null for a line that is not one of
   *     ours (it is then treated as cut off)
   */
  static ShardOutput resume(Path file, Function<String, String> fileOf) throws IOException {
    Set<String> done = new HashSet<>();
    long keep = 0;
    int dropped = 0;
    if (Files.exists(file)) {
      byte[] content = Files.readAllBytes(file);
      int start = 0;
      for (int i = 0; i < content.length; i++) {
        if (content[i] == '\n') {
          String line = new String(content, start, i - start, StandardCharsets.UTF_8);
          String path = fileOf.apply(line);
          if (path == null) {
            break;
          }
          done.add(path);
          start = i + 1;
          keep = start;
        }
      }
      dropped = keep < content.length ? 1 : 0;
    }
    RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
    raf.setLength(keep);
    raf.seek(keep);
    BufferedWriter writer =
        new BufferedWriter(
            new OutputStreamWriter(
                Channels.newOutputStream(raf.getChannel()), StandardCharsets.UTF_8));
    return new ShardOutput(writer, done, dropped);
  }

  /** Whether an earlier attempt already wrote this file's line. */
  boolean done(String path) {
    return done.contains(path);
  }

  int alreadyDone() {
    return done.size();
  }

  /** 1 when the last attempt left a line cut off mid-write, which was removed. */
  int droppedPartialLines() {
    return droppedPartialLines;
  }

  void append(String line) throws IOException {
    writer.write(line);
    writer.write('\n');
  }

  /** Makes the lines written so far survive a kill of this process. */
  void flush() throws IOException {
    writer.flush();
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
