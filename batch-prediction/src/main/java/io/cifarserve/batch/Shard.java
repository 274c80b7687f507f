package io.cifarserve.batch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One of {@code count} parts of a folder's files. A file belongs to the shard its path, relative to
 * the folder, hashes to, so the assignment depends on neither the listing order nor which other
 * files exist: every task of a Cloud Run Job agrees on it without talking to the others.
 *
 * @param index this shard, from 0
 * @param count how many shards there are
 */
public record Shard(int index, int count) {

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "shard index must be in [0, count), count at least 1; was %d of %d"
              .formatted(index, count));
    }
  }

  /** The whole folder as one shard. */
  public static final Shard ALL = new Shard(0, 1);

  /** Whether the file at this path (relative to the folder) is this shard's to classify. */
  public boolean owns(Path relative) {
    return of(relative, count) == index;
  }

  /** The shard a relative path belongs to among {@code count}. */
  public static int of(Path relative, int count) {
    // Forward slashes, so the same folder splits the same way on every operating system.
    String key = relative.toString().replace('\\', '/');
    byte[] digest = sha256(key.getBytes(StandardCharsets.UTF_8));
    long value = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      value = (value << 8) | (digest[i] & 0xff);
    }
    return (int) Long.remainderUnsigned(value, count);
  }

  /** {@code predictions-0000I-of-0000N.jsonl}. */
  public String predictionsFile() {
    return "predictions-%s.jsonl".formatted(suffix());
  }

  /** {@code summary-0000I-of-0000N.json}. */
  public String summaryFile() {
    return "summary-%s.json".formatted(suffix());
  }

  private String suffix() {
    return "%05d-of-%05d".formatted(index, count);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
