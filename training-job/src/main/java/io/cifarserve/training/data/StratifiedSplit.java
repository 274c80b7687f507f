package io.cifarserve.training.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Splits labelled images into training and validation sets, each class in the same proportion. */
public final class StratifiedSplit {

  private StratifiedSplit() {}

  /** The training part and the validation part. */
  public record Parts(LabeledImages train, LabeledImages validation) {}

  /**
   * @param validationFraction share of each class held out, e.g. 0.1 for 45k/5k
   * @param seed the same seed gives the same split
   */
  public static Parts split(LabeledImages all, int classes, double validationFraction, long seed) {
    if (validationFraction < 0 || validationFraction >= 1) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1)");
    }
    Random random = new Random(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> validation = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if (all.labels()[i] == c) {
          members.add(i);
        }
      }
      Collections.shuffle(members, random);
      int held = (int) Math.round(members.size() * validationFraction);
      validation.addAll(members.subList(0, held));
      train.addAll(members.subList(held, members.size()));
    }
    return new Parts(all.select(sorted(train)), all.select(sorted(validation)));
  }

  private static int[] sorted(List<Integer> indices) {
    int[] array = indices.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(array);
    return array;
  }
}
