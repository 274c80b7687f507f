package io.cifarserve.training;

import io.cifarserve.training.model.Stem;
import picocli.CommandLine.ITypeConverter;

final class StemConverter implements ITypeConverter<Stem> {
  @Override
  public Stem convert(String value) {
    return Stem.fromCliName(value);
  }
}
