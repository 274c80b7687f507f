package io.cifarserve.batch;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  private final RandomAccessFile file;
  private final BufferedWriter writer;
  private final Set<String> done;
  private final int droppedPartialLines;
  private final long syncNanos;
  private long lastSync = System.nanoTime();

  private ShardOutput(
      RandomAccessFile file,
      BufferedWriter writer,
      Set<String> done,
      int droppedPartialLines,
      Duration syncEvery) {
    this.file = file;
    this.writer = writer;
    this.done = done;
    this.droppedPartialLines = droppedPartialLines;
    this.syncNanos = syncEvery.toNanos();
  }

  /**
   * @param fileOf reads a complete line's file path, or returns null for a line that is not one of
   *     ours (it is then treated as cut off)
   * @param syncEvery how often {@link #flush} also forces the lines to storage
   */
  static ShardOutput resume(Path file, Function<String, String> fileOf, Duration syncEvery)
      throws IOException {
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
    return new ShardOutput(raf, writer, done, dropped, syncEvery);
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

  /**
   * Hands the lines written so far to the operating system, so they survive a kill of this process,
   * and every {@code syncEvery} forces them to storage. On a Cloud Storage FUSE mount only the
   * forced writes (and closing) upload the file, and each upload sends the whole file again: the
   * period bounds both the work a killed task redoes and the upload traffic.
   */
  void flush() throws IOException {
    writer.flush();
    if (System.nanoTime() - lastSync >= syncNanos) {
      file.getChannel().force(false);
      lastSync = System.nanoTime();
    }
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
