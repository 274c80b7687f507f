package io.cifarserve.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardTest {

  private static List<Path> paths(int n) {
    List<Path> paths = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      paths.add(Path.of("class-" + (i % 7), "picture-" + i + ".jpg"));
    }
    return paths;
  }

  @Test
  void theAssignmentDependsOnThePathAloneNotOnTheListingOrder() {
    List<Path> listed = paths(1000);
    List<Path> shuffled = new ArrayList<>(listed);
    Collections.shuffle(shuffled, new Random(7));

    Map<Path, Integer> inOrder = new HashMap<>();
    listed.forEach(p -> inOrder.put(p, Shard.of(p, 5)));
    Map<Path, Integer> afterShuffle = new HashMap<>();
    shuffled.forEach(p -> afterShuffle.put(p, Shard.of(p, 5)));
    assertThat(afterShuffle).isEqualTo(inOrder);
    // Pinned: the rule is the first 8 bytes of SHA-256 of the relative path, modulo the count. A
    // change would reassign files between runs of different versions.
    assertThat(Shard.of(Path.of("cat", "0001.jpg"), 1000))
        .isEqualTo(Shard.of(Path.of("cat/0001.jpg"), 1000));
    // Computed independently: Python's int.from_bytes(sha256(b"cat/0001.jpg")[:8], "big") % 1000.
    assertThat(Shard.of(Path.of("cat", "0001.jpg"), 1000)).isEqualTo(371);
  }

  @Test
  void everyFileBelongsToExactlyOneShardAndTheShardsAreBalanced() {
    int[] sizes = new int[3];
    for (Path path : paths(3000)) {
      int owners = 0;
      for (int i = 0; i < 3; i++) {
        if (new Shard(i, 3).owns(path)) {
          owners++;
          sizes[i]++;
        }
      }
      assertThat(owners).isEqualTo(1);
    }
    for (int size : sizes) {
      assertThat(size).isBetween(900, 1100);
    }
  }

  @Test
  void namesItsFilesAndRefusesImpossibleShards() {
    assertThat(new Shard(2, 16).predictionsFile()).isEqualTo("predictions-00002-of-00016.jsonl");
    assertThat(new Shard(2, 16).summaryFile()).isEqualTo("summary-00002-of-00016.json");
    assertThatThrownBy(() -> new Shard(3, 3)).hasMessageContaining("3 of 3");
    assertThatThrownBy(() -> new Shard(0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
