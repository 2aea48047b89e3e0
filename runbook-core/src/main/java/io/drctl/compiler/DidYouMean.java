package io.drctl.compiler;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Suggests the closest known name for a misspelled one. */
public final class DidYouMean {
  private DidYouMean() {}

  /** The closest candidate within a small edit distance, if any. */
  public static Optional<String> closest(String wrong, Collection<String> candidates) {
    int limit = Math.max(2, wrong.length() / 3);
    return candidates.stream()
        .filter(c -> !c.equals(wrong))
        .map(c -> new Scored(c, distance(wrong.toLowerCase(), c.toLowerCase())))
        .filter(s -> s.distance <= limit)
        .min(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
        .map(Scored::name);
  }

  /** "did you mean 'x'?" or, failing that, the list of what is allowed. */
  public static String hint(String wrong, Collection<String> candidates) {
    Optional<String> best = closest(wrong, candidates);
    if (best.isPresent()) {
      return "did you mean '" + best.get() + "'?";
    }
    if (candidates.isEmpty()) {
      return null;
    }
    return "allowed here: " + String.join(", ", candidates.stream().sorted().toList());
  }

  /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  private record Scored(String name, int distance) {}
}
