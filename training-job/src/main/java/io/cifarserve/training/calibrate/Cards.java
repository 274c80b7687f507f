package io.cifarserve.training.calibrate;

/** Replacing and inserting level-2 sections of a Markdown model card. */
final class Cards {

  private Cards() {}

  /** The card without the section under {@code heading}, up to the next level-2 heading. */
  static String withoutSection(String card, String heading) {
    int start = card.indexOf(heading);
    if (start < 0) {
      return card;
    }
    int end = card.indexOf("\n## ", start + heading.length());
    return card.substring(0, start) + (end < 0 ? "" : card.substring(end + 1));
  }

  /** The card with {@code section} before the {@code before} heading, or at its end. */
  static String insertBefore(String card, String before, String section) {
    int at = card.indexOf(before);
    String head = at < 0 ? card : card.substring(0, at);
    String tail = at < 0 ? "" : card.substring(at);
    return head.stripTrailing() + "\n\n" + section.stripTrailing() + "\n\n" + tail;
  }
}
