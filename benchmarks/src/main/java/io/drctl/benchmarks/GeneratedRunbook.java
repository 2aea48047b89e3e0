package io.drctl.benchmarks;

/**
 * Generates a large, valid runbook shaped like real ones: chains of activity steps that read the
 * outputs of earlier steps, fan-outs with explicit needs, approvals before destructive steps,
 * fallbacks, conditions and parallel branches.
 */
public final class GeneratedRunbook {
  private GeneratedRunbook() {}

  /** One incident of about {@code steps} steps. */
  public static String of(int steps) {
    return of(steps, "g");
  }

  /**
   * One incident of about {@code steps} steps whose ids start with {@code prefix}: runbooks of
   * other prefixes have the same shape but no expression in common.
   */
  public static String of(int steps, String prefix) {
    StringBuilder out = new StringBuilder(steps * 200);
    out.append("{\n  \"version\": \"1.0.0\",\n  \"name\": \"generated\",\n  \"targets\": {\n")
        .append(
            "    \"db\": {\"kind\": \"postgres\", \"host\": \"127.0.0.1\", \"port\": 5432, \"password\": \"env:PGPASSWORD\"},\n")
        .append(
            "    \"store\": {\"kind\": \"backupStore\", \"store\": \"local\", \"path\": \"/backups\"},\n")
        .append("    \"backend\": {\"kind\": \"container\", \"container\": \"backend\"}\n  },\n")
        .append(
            "  \"incidents\": [{\n    \"type\": \"generated\", \"title\": \"Generated\", \"severity\": \"high\",\n")
        .append("    \"objectives\": {\"rto\": \"1h\", \"rpo\": \"15m\"},\n")
        .append(
            "    \"inputs\": {\"until\": {\"type\": \"timestamp\", \"description\": \"PITR target\", \"default\": \"2025-12-27T14:30:00+00:00\"}},\n")
        .append("    \"steps\": [\n");
    int written = 0;
    int group = 0;
    while (written < steps) {
      String p = prefix + group + "_";
      if (written > 0) {
        out.append(",\n");
      }
      out.append("      {\"id\": \"")
          .append(p)
          .append(
              "pick\", \"action\": \"backup.select\", \"with\": {\"store\": \"store\", \"service\": \"postgresql\", \"selector\": \"latest\"}},\n")
          .append("      {\"id\": \"")
          .append(p)
          .append(
              "ask\", \"action\": \"approval\", \"timeout\": \"2h\", \"with\": {\"prompt\": \"Restore ${{ steps.")
          .append(p)
          .append("pick.output.backupId }} of ${{ steps.")
          .append(p)
          .append("pick.output.sizeBytes }} bytes?\"}},\n")
          .append("      {\"id\": \"")
          .append(p)
          .append(
              "restore\", \"action\": \"postgres.restore\", \"timeout\": \"1h\", \"heartbeat\": \"30s\", \"retry\": {\"maxAttempts\": 2, \"nonRetryable\": [\"BackupCorrupt\"]}, \"onFailure\": [\"")
          .append(p)
          .append(
              "pitr\"], \"with\": {\"target\": \"db\", \"store\": \"store\", \"from\": \"${{ steps.")
          .append(p)
          .append("pick.output.backupId }}\"}},\n")
          .append("      {\"id\": \"")
          .append(p)
          .append(
              "pitr\", \"action\": \"postgres.pitr\", \"with\": {\"target\": \"db\", \"store\": \"store\", \"until\": \"${{ inputs.until }}\"}},\n")
          .append("      {\"id\": \"")
          .append(p)
          .append("checks\", \"action\": \"parallel\", \"branches\": [\n")
          .append("        {\"name\": \"db\", \"steps\": [{\"id\": \"")
          .append(p)
          .append("ready\", \"action\": \"postgres.isReady\", \"with\": {\"target\": \"db\"}}]},\n")
          .append("        {\"name\": \"app\", \"steps\": [{\"id\": \"")
          .append(p)
          .append("nap\", \"action\": \"sleep\", \"with\": {\"duration\": \"5s\"}}]}]},\n")
          .append("      {\"id\": \"")
          .append(p)
          .append("restart\", \"action\": \"docker.restart\", \"if\": \"steps.")
          .append(p)
          .append("ready.output.ready && steps.")
          .append(p)
          .append("restore.outcome != 'skipped'\", \"with\": {\"target\": \"backend\"}},\n")
          .append("      {\"id\": \"")
          .append(p)
          .append("settle\", \"action\": \"sleep\", \"needs\": [\"")
          .append(p)
          .append("checks\"], \"with\": {\"duration\": \"1s\"}},\n")
          .append("      {\"id\": \"")
          .append(p)
          .append("join\", \"action\": \"sleep\", \"needs\": [\"")
          .append(p)
          .append("restart\", \"")
          .append(p)
          .append("settle\"], \"with\": {\"duration\": \"1s\"}}");
      written += 10;
      group++;
    }
    out.append("\n    ]\n  }]\n}\n");
    return out.toString();
  }
}
