package io.cifarserve.training.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** An expected digest written {@code md5:HEX} or {@code sha256:HEX}. */
public record Checksum(String algorithm, String hex) {

  /** The MD5 the CIFAR-10 authors publish for {@code cifar-10-binary.tar.gz}. */
  public static final String CIFAR10_BINARY_MD5 = "md5:c32a1d4ab5d03f1284b67883e8d87530";

  public static Checksum parse(String text) {
    String[] parts = text.split(":", 2);
    if (parts.length != 2) {
      throw new IllegalArgumentException("checksum must be md5:HEX or sha256:HEX, was " + text);
    }
    String algorithm =
        switch (parts[0].toLowerCase(Locale.ROOT)) {
          case "md5" -> "MD5";
          case "sha256", "sha-256" -> "SHA-256";
          default ->
              throw new IllegalArgumentException("unsupported checksum algorithm " + parts[0]);
        };
    return new Checksum(algorithm, parts[1].toLowerCase(Locale.ROOT));
  }

  public MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public boolean matches(byte[] digest) {
    return HexFormat.of().formatHex(digest).equals(hex);
  }

  @Override
  public String toString() {
    return algorithm.toLowerCase(Locale.ROOT).replace("-", "") + ":" + hex;
  }
}
