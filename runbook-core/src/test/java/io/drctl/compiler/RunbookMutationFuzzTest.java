package io.drctl.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drctl.source.JsonPointers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutates valid runbooks at random and checks the compiler's contract on each result: it returns
 * normally, and every diagnostic is well formed and points into the text it was given.
 *
 * <p>Every mutation has its own seed, printed with any failure; the same seed and the same input
 * files give the same mutation. The mutations: delete a member, misspell a key, give a value
 * another type (null, number, string, array, object, a huge string, deep nesting), add a member,
 * duplicate an array item, swap two steps, splice {@code ${{} garbage into a string, borrow a name
 * from elsewhere in the file, truncate the text, and insert, delete or replace characters. One
 * case in five edits the text; of the others, one in five stacks two or three tree mutations.
 */
class RunbookMutationFuzzTest {
  private static final RunbookCompiler COMPILER = RunbookCompiler.standard();
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The repository's runbooks, from the workflows module (Maven's working directory). */
  private static final Path REPOSITORY_RUNBOOKS = Path.of("..", "runbooks");

  private static final long REPOSITORY_SEEDS = 1_000_000L;
  private static final long MINIMAL_SEEDS = 2_000_000L;
  private static final long CORPUS_SEEDS = 3_000_000L;
  private static final int REPOSITORY_MUTATIONS = 1_200;
  private static final int MINIMAL_MUTATIONS = 900;
  private static final int CORPUS_MUTATIONS = 900;

  private static final List<String> GARBAGE =
      List.of(
          "${{",
          "}}",
          "${{ }}",
          "${{ 1 + }}",
          "${{ steps. }}",
          "${{ steps.nope.output.x }}",
          "${{ inputs.nope }}",
          "${{ result.ready }}",
          "${{ targets }}",
          "${{ incident.nope }}",
          "$${{",
          "${{ '}}' }}",
          "${{ \"\\u0000\" }}",
          "${{ steps.a-b.output.c }}",
          "${{ 1/0 }}",
          "${{ [1, 2][5] }}",
          "${{ {'a': 1}.b }}",
          "${{${{ }}}}",
          "${{ size(inputs) }}",
          "${{ incident.startedAt + duration('1h') }}",
          "${{ true ? 1 : 'x' }}");
  private static final List<String> STRINGS =
      List.of(
          "",
          " ",
          "x",
          "0s",
          "99999999d",
          "1h30m",
          "-1s",
          "latest",
          "env:X",
          "file:/x",
          "hunter2",
          "1.0.0",
          "approval",
          "parallel",
          "runbook",
          "waitUntil",
          "fail",
          "postgres.restore",
          "http.request",
          "null",
          "true",
          "~/",
          "a/b~c",
          "\u0000",
          "\ud800",
          "Ω≈ç√",
          "\"",
          "\\",
          "\n",
          "${{ inputs.x }}");

  /**
   * Broken rules already reported to the compiler's owner, by the start of the rule, with the bug.
   * A test that hits only these is skipped, not failed; remove an entry once its bug is fixed.
   */
  /**
   * Contract breaks that are known and not yet fixed, by the start of the rule's text. None now.
   */
  private static final Map<String, String> KNOWN_BUGS = Map.of();

  private static final String CHARACTERS =
      "{}[],:\"\\'/~$ \t\r\n0123456789.-+eEaZ_\u0000\u00e9\ud83d\ude00\ud800";

  @Test
  @Timeout(120)
  void mutatedRepositoryRunbooksAlwaysCompileToWellFormedDiagnostics() {
    Assumptions.assumeTrue(
        Files.isDirectory(REPOSITORY_RUNBOOKS),
        () ->
            "no runbooks folder at "
                + REPOSITORY_RUNBOOKS.toAbsolutePath().normalize()
                + "; the repository runbooks are not fuzzed");
    List<Subject> subjects = repositorySubjects();
    Assumptions.assumeFalse(subjects.isEmpty(), "the runbooks folder holds no runbook yet");

    fuzz(subjects, REPOSITORY_SEEDS, REPOSITORY_MUTATIONS);
  }

  @Test
  @Timeout(120)
  void mutatedMinimalRunbookAlwaysCompilesToWellFormedDiagnostics() {
    String minimal = read(resource("valid").resolve("minimal.json"));
    ObjectNode targets = NODES.objectNode();
    ObjectNode primary = ((ObjectNode) tree(minimal).path("targets").path("primary")).deepCopy();
    primary.put("host", "db.staging.internal");
    targets.put("environment", "staging").putObject("targets").set("primary", primary);
    List<Subject> subjects =
        List.of(
            new Subject("minimal.json", minimal, null, null),
            new Subject("minimal.json", minimal, "staging.targets.json", pretty(targets)));

    fuzz(subjects, MINIMAL_SEEDS, MINIMAL_MUTATIONS);
  }

  /**
   * The invalid corpus covers parallel, waitUntil, runbook and fallback steps that minimal.json
   * lacks.
   */
  @Test
  @Timeout(120)
  void mutatedCorpusRunbooksAlwaysCompileToWellFormedDiagnostics() {
    Path corpus = resource("invalid");
    JsonNode expectations = tree(read(corpus.resolve("expectations.json")));
    List<Subject> subjects = new ArrayList<>();
    expectations
        .fields()
        .forEachRemaining(
            entry -> {
              // Files that are not JSON cannot be mutated as trees; a known bug may be a crash.
              String text = read(corpus.resolve(entry.getKey()));
              if (!entry.getValue().has("knownBug") && isJson(text)) {
                subjects.add(new Subject(entry.getKey(), text, null, null));
              }
            });

    fuzz(subjects, CORPUS_SEEDS, CORPUS_MUTATIONS);
  }

  /**
   * What one mutation starts from: a runbook and, optionally, a targets file. The targets file,
   * when there is one, is the text mutated.
   */
  private record Subject(String file, String text, String targetsFile, String targetsText) {
    String mutatedFile() {
      return targetsFile != null ? targetsFile : file;
    }

    String mutatedText() {
      return targetsText != null ? targetsText : text;
    }
  }

  /**
   * Runs {@code count} mutations, seeds {@code firstSeed} on, and fails on any broken rule that is
   * not a known bug. When only known bugs broke rules, the test is reported as skipped, naming
   * them.
   */
  private static void fuzz(List<Subject> subjects, long firstSeed, int count) {
    Map<String, List<String>> broken = new TreeMap<>();
    // Seeds are independent, so they run on every core; the report is sorted by seed all the same.
    LongStream.range(firstSeed, firstSeed + count)
        .parallel()
        .mapToObj(seed -> runOne(subjects, seed))
        .toList()
        .forEach(
            found ->
                found.forEach(
                    (rule, example) ->
                        broken.computeIfAbsent(rule, k -> new ArrayList<>()).add(example)));
    Map<String, List<String>> unexpected = new TreeMap<>(broken);
    Map<String, List<String>> known = new TreeMap<>();
    KNOWN_BUGS.forEach(
        (rule, bug) ->
            broken.keySet().stream()
                .filter(r -> r.startsWith(rule))
                .forEach(
                    r ->
                        known
                            .computeIfAbsent(bug, k -> new ArrayList<>())
                            .addAll(unexpected.remove(r))));

    assertThat(unexpected.keySet())
        .as("%d mutations, rules broken (one example seed each):%n%s", count, summary(unexpected))
        .isEmpty();
    Assumptions.assumeTrue(
        known.isEmpty(),
        () -> count + " mutations; only known bugs broke the contract:\n" + summary(known));
  }

  /** One mutation and compile: each broken rule, with an example naming the seed. */
  private static Map<String, String> runOne(List<Subject> subjects, long seed) {
    Random random = new Random(seed);
    Subject subject = subjects.get(random.nextInt(subjects.size()));
    List<String> applied = new ArrayList<>();
    String mutated = mutate(subject.mutatedText(), random, applied);
    String context =
        "seed " + seed + " (" + subject.mutatedFile() + ": " + String.join("; ", applied) + ")";
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put(subject.file(), subject.targetsFile() == null ? mutated : subject.text());
    if (subject.targetsFile() != null) {
      texts.put(subject.targetsFile(), mutated);
    }
    CompileResult result;
    try {
      result =
          subject.targetsFile() == null
              ? COMPILER.compile(new RunbookCompiler.Source(subject.file(), mutated))
              : COMPILER.compile(
                  new RunbookCompiler.Source(subject.file(), subject.text()),
                  new RunbookCompiler.Source(subject.targetsFile(), mutated));
    } catch (RuntimeException | StackOverflowError e) {
      return Map.of(
          "compile threw " + e.getClass().getSimpleName() + " at " + origin(e), context + ": " + e);
    }
    Map<String, String> found = new LinkedHashMap<>();
    brokenRules(result, texts).forEach((rule, detail) -> found.put(rule, context + ": " + detail));
    return found;
  }

  private static String summary(Map<String, List<String>> broken) {
    StringBuilder out = new StringBuilder();
    broken.forEach(
        (rule, examples) ->
            out.append("  ")
                .append(examples.size())
                .append(" x ")
                .append(rule)
                .append("\n      e.g. ")
                .append(examples.get(0))
                .append('\n'));
    return out.toString();
  }

  /** The first frame of the compiler's own code, where the exception left it. */
  private static String origin(Throwable e) {
    return Stream.of(e.getStackTrace())
        .filter(
            f -> f.getClassName().startsWith("io.drctl.") && !f.getClassName().endsWith("FuzzTest"))
        .findFirst()
        .map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber())
        .orElse(String.valueOf(e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?"));
  }

  /** The compiler's contract for one result: each broken rule, with what broke it. */
  private static Map<String, String> brokenRules(CompileResult result, Map<String, String> texts) {
    Map<String, String> broken = new LinkedHashMap<>();
    Map<String, JsonNode> trees = new LinkedHashMap<>();
    if (!result.ok() && result.errors().isEmpty()) {
      broken.put("not ok, but no error reported", result.diagnostics().toString());
    }
    if (result.ok() && !result.errors().isEmpty()) {
      broken.put("ok, although errors were reported", result.errors().toString());
    }
    for (Diagnostic d : result.diagnostics()) {
      String where = d.format().replace('\n', ' ');
      String code = " [" + d.code() + "]";
      if (d.code() == null || d.code().isBlank()) {
        broken.put("blank code", where);
      }
      if (d.message() == null || d.message().isBlank()) {
        broken.put("blank message" + code, where);
      }
      if (d.pointer() == null || !(d.pointer().isEmpty() || d.pointer().startsWith("/"))) {
        broken.put("pointer is not a JSON pointer" + code, where);
      }
      if (d.line() < 0 || d.column() < 0) {
        broken.put("negative line or column" + code, where);
      }
      String text = texts.get(d.file());
      if (text == null) {
        broken.put("diagnostic names a file it was not given" + code, where);
        continue;
      }
      if (d.line() > lineCount(text)) {
        broken.put(
            "line past the last line" + code,
            "line " + d.line() + " of " + lineCount(text) + ": " + where);
      }
      if (!"syntax".equals(d.code())
          && d.pointer() != null
          && d.pointer().startsWith("/")
          && trees
              .computeIfAbsent(d.file(), f -> tree(text))
              .at(JsonPointer.compile(d.pointer()))
              .isMissingNode()) {
        broken.put("pointer names nothing in the file" + code, where);
      }
    }
    return broken;
  }

  /** Lines as Jackson counts them: "\r\n", "\r" and "\n" each end one. */
  private static int lineCount(String text) {
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
        lines++;
      }
    }
    return lines;
  }

  // ---- mutations ----

  private static String mutate(String text, Random random, List<String> applied) {
    int kind = random.nextInt(10);
    if (kind < 2) {
      return mutateText(text, random, applied);
    }
    JsonNode root = tree(text);
    int rounds = random.nextInt(5) == 0 ? 2 + random.nextInt(2) : 1;
    for (int i = 0; i < rounds; i++) {
      root = mutateTree(root, random, applied);
    }
    return pretty(root);
  }

  private static String mutateText(String text, Random random, List<String> applied) {
    if (random.nextBoolean()) {
      int cut = random.nextInt(text.length() + 1);
      applied.add("truncate at " + cut);
      return text.substring(0, cut);
    }
    StringBuilder out = new StringBuilder(text);
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      int at = random.nextInt(out.length() + 1);
      char c = CHARACTERS.charAt(random.nextInt(CHARACTERS.length()));
      switch (random.nextInt(3)) {
        case 0 -> {
          out.insert(at, c);
          applied.add("insert U+" + Integer.toHexString(c) + " at " + at);
        }
        case 1 -> {
          if (at < out.length()) {
            applied.add("delete U+" + Integer.toHexString(out.charAt(at)) + " at " + at);
            out.deleteCharAt(at);
          }
        }
        default -> {
          if (at < out.length()) {
            applied.add(
                "replace U+"
                    + Integer.toHexString(out.charAt(at))
                    + " at "
                    + at
                    + " by U+"
                    + Integer.toHexString(c));
            out.setCharAt(at, c);
          }
        }
      }
    }
    return out.toString();
  }

  /** A node in the tree with the container that holds it (null for the root). */
  private record Slot(String pointer, JsonNode parent, String key, int index, JsonNode node) {}

  private static JsonNode mutateTree(JsonNode root, Random random, List<String> applied) {
    List<Slot> slots = new ArrayList<>();
    collect(root, "", null, null, -1, slots);
    List<Slot> members = slots.stream().filter(s -> s.parent() != null).toList();
    if (members.isEmpty()) {
      applied.add("replace the root");
      return randomValue(random, "");
    }
    Slot slot = members.get(random.nextInt(members.size()));
    switch (random.nextInt(8)) {
      case 0 -> {
        applied.add("delete " + slot.pointer());
        remove(slot);
      }
      case 1 -> {
        if (slot.key() == null) {
          return duplicate(root, slots, random, applied);
        }
        String typo = typo(slot.key(), random);
        applied.add("rename " + slot.pointer() + " to '" + typo + "'");
        rename((ObjectNode) slot.parent(), slot.key(), typo);
      }
      case 2 -> {
        JsonNode value = randomValue(random, slot.node().getNodeType().name());
        applied.add("replace " + slot.pointer() + " by " + describe(value));
        replace(slot, value);
      }
      case 3 -> {
        return duplicate(root, slots, random, applied);
      }
      case 4 -> swapSteps(slots, random, applied);
      case 5, 6 -> {
        List<Slot> strings =
            slots.stream().filter(s -> s.node().isTextual() && s.parent() != null).toList();
        if (strings.isEmpty()) {
          return root;
        }
        Slot string = strings.get(random.nextInt(strings.size()));
        String text = string.node().asText();
        String value;
        if (random.nextBoolean()) {
          int at = random.nextInt(text.length() + 1);
          value =
              text.substring(0, at)
                  + GARBAGE.get(random.nextInt(GARBAGE.size()))
                  + text.substring(at);
        } else {
          List<String> names = names(slots);
          value = names.get(random.nextInt(names.size()));
        }
        applied.add("set " + string.pointer() + " to " + describe(NODES.textNode(value)));
        replace(string, NODES.textNode(value));
      }
      default -> {
        List<Slot> objects = slots.stream().filter(s -> s.node().isObject()).toList();
        Slot object = objects.get(random.nextInt(objects.size()));
        String key = STRINGS.get(random.nextInt(STRINGS.size()));
        JsonNode value = randomValue(random, "");
        applied.add("add " + JsonPointers.child(object.pointer(), key) + " = " + describe(value));
        ((ObjectNode) object.node()).set(key, value);
      }
    }
    return root;
  }

  private static void collect(
      JsonNode node, String pointer, JsonNode parent, String key, int index, List<Slot> out) {
    out.add(new Slot(pointer, parent, key, index, node));
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        collect(
            field.getValue(),
            JsonPointers.child(pointer, field.getKey()),
            node,
            field.getKey(),
            -1,
            out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), JsonPointers.child(pointer, i), node, null, i, out);
      }
    }
  }

  private static void remove(Slot slot) {
    if (slot.key() != null) {
      ((ObjectNode) slot.parent()).remove(slot.key());
    } else {
      ((ArrayNode) slot.parent()).remove(slot.index());
    }
  }

  private static void replace(Slot slot, JsonNode value) {
    if (slot.key() != null) {
      ((ObjectNode) slot.parent()).set(slot.key(), value);
    } else {
      ((ArrayNode) slot.parent()).set(slot.index(), value);
    }
  }

  /** Renames a member in place, keeping the order of the others. */
  private static void rename(ObjectNode object, String from, String to) {
    Map<String, JsonNode> members = new LinkedHashMap<>();
    object
        .fields()
        .forEachRemaining(
            f -> members.put(f.getKey().equals(from) ? to : f.getKey(), f.getValue()));
    object.removeAll();
    members.forEach(object::set);
  }

  private static JsonNode duplicate(
      JsonNode root, List<Slot> slots, Random random, List<String> applied) {
    List<Slot> arrays =
        slots.stream().filter(s -> s.node().isArray() && !s.node().isEmpty()).toList();
    if (arrays.isEmpty()) {
      return root;
    }
    Slot array = arrays.get(random.nextInt(arrays.size()));
    ArrayNode items = (ArrayNode) array.node();
    int from = random.nextInt(items.size());
    int to = random.nextInt(items.size() + 1);
    applied.add("copy " + array.pointer() + "/" + from + " to index " + to);
    items.insert(to, items.get(from).deepCopy());
    return root;
  }

  private static void swapSteps(List<Slot> slots, Random random, List<String> applied) {
    List<Slot> lists =
        slots.stream()
            .filter(s -> s.node().isArray() && s.node().size() >= 2 && "steps".equals(s.key()))
            .toList();
    if (lists.isEmpty()) {
      lists = slots.stream().filter(s -> s.node().isArray() && s.node().size() >= 2).toList();
    }
    if (lists.isEmpty()) {
      return;
    }
    Slot list = lists.get(random.nextInt(lists.size()));
    ArrayNode steps = (ArrayNode) list.node();
    int a = random.nextInt(steps.size());
    int b = random.nextInt(steps.size());
    applied.add("swap " + list.pointer() + "/" + a + " and /" + b);
    JsonNode first = steps.get(a);
    steps.set(a, steps.get(b));
    steps.set(b, first);
  }

  /** Every member name and string value in the document: ids, targets, actions, incident types. */
  private static List<String> names(List<Slot> slots) {
    List<String> names = new ArrayList<>();
    for (Slot slot : slots) {
      if (slot.key() != null) {
        names.add(slot.key());
      }
      if (slot.node().isTextual()) {
        names.add(slot.node().asText());
      }
    }
    return names;
  }

  private static String typo(String key, Random random) {
    if (key.isEmpty()) {
      return "x";
    }
    int at = random.nextInt(key.length());
    return switch (random.nextInt(5)) {
      case 0 -> key.substring(0, at) + key.substring(at + 1);
      case 1 -> key.substring(0, at) + key.charAt(at) + key.substring(at);
      case 2 ->
          at + 1 < key.length()
              ? key.substring(0, at) + key.charAt(at + 1) + key.charAt(at) + key.substring(at + 2)
              : key + "s";
      case 3 -> key.toUpperCase(java.util.Locale.ROOT);
      default -> key.substring(0, at) + (char) ('a' + random.nextInt(26)) + key.substring(at + 1);
    };
  }

  /** A random value, preferably not of type {@code avoid} (a JsonNodeType name). */
  private static JsonNode randomValue(Random random, String avoid) {
    for (int attempt = 0; attempt < 4; attempt++) {
      JsonNode value = anyValue(random);
      if (!value.getNodeType().name().equals(avoid)) {
        return value;
      }
    }
    return NODES.nullNode();
  }

  private static JsonNode anyValue(Random random) {
    return switch (random.nextInt(12)) {
      case 0 -> NODES.nullNode();
      case 1 ->
          NODES.numberNode(
              List.of(0L, -1L, 1L, 1000L, 1001L, 65536L, Long.MAX_VALUE, Long.MIN_VALUE)
                  .get(random.nextInt(8)));
      case 2 ->
          NODES.numberNode(
              new java.math.BigDecimal(
                  List.of("0.5", "-0.0", "1e400", "3.0", "1e-400", "123456789012345678901234567890")
                      .get(random.nextInt(6))));
      case 3 -> NODES.booleanNode(random.nextBoolean());
      case 4, 5 -> NODES.textNode(STRINGS.get(random.nextInt(STRINGS.size())));
      case 6 -> NODES.arrayNode().add(NODES.textNode(STRINGS.get(random.nextInt(STRINGS.size()))));
      case 7 -> NODES.arrayNode();
      case 8 -> NODES.objectNode();
      case 9 ->
          NODES.objectNode().put(STRINGS.get(random.nextInt(STRINGS.size())), random.nextInt(10));
      case 10 -> NODES.textNode(hugeString(random));
      default -> deepNesting(random);
    };
  }

  /** 10k to 100k characters; or a few hundred expressions, each of which the compiler checks. */
  private static String hugeString(Random random) {
    return random.nextBoolean()
        ? "a".repeat(10_000 + random.nextInt(90_000))
        : "${{ 1 }}x".repeat(100 + random.nextInt(300));
  }

  /** Nested arrays or objects, 50 to 250 levels: around the reader's limit of 200. */
  private static JsonNode deepNesting(Random random) {
    int depth = 50 + random.nextInt(201);
    boolean objects = random.nextBoolean();
    JsonNode node = NODES.textNode("bottom");
    for (int i = 0; i < depth; i++) {
      node = objects ? NODES.objectNode().set("steps", node) : NODES.arrayNode().add(node);
    }
    return node;
  }

  private static String describe(JsonNode value) {
    String text = value.toString();
    int depth = 0;
    for (JsonNode n = value; n.isContainerNode() && n.size() == 1; n = n.elements().next()) {
      depth++;
    }
    if (depth > 3) {
      return "nesting " + depth + " deep";
    }
    return text.length() > 60 ? text.substring(0, 40) + "... (" + text.length() + " chars)" : text;
  }

  // ---- seeds and files ----

  /**
   * dr-runbook.json is large (16 incidents); it is fuzzed one incident at a time, with the
   * incidents it runs as children, so that each compile stays cheap. The examples are fuzzed whole,
   * and the environments' targets files against one incident of dr-runbook.json.
   */
  private static List<Subject> repositorySubjects() {
    List<Subject> subjects = new ArrayList<>();
    Path main = REPOSITORY_RUNBOOKS.resolve("dr-runbook.json");
    if (Files.isRegularFile(main)) {
      JsonNode runbook = tree(read(main));
      for (JsonNode incident : runbook.path("incidents")) {
        String name = "dr-runbook.json#" + incident.path("type").asText();
        subjects.add(new Subject(name, pretty(slice(runbook, incident)), null, null));
      }
      String firstSlice = pretty(slice(runbook, runbook.path("incidents").path(0)));
      for (Path targets : jsonFiles(REPOSITORY_RUNBOOKS.resolve("targets"))) {
        subjects.add(
            new Subject(
                "dr-runbook.json#first",
                firstSlice,
                targets.getFileName().toString(),
                read(targets)));
      }
    }
    for (Path example : jsonFiles(REPOSITORY_RUNBOOKS.resolve("examples"))) {
      subjects.add(new Subject(example.getFileName().toString(), read(example), null, null));
    }
    return subjects;
  }

  /** The runbook with one incident, plus the incidents it runs as children. */
  private static JsonNode slice(JsonNode runbook, JsonNode incident) {
    ObjectNode copy = runbook.deepCopy();
    ArrayNode incidents = copy.putArray("incidents");
    incidents.add(incident.deepCopy());
    for (JsonNode step : incident.path("steps")) {
      String child = step.path("with").path("incident").asText(null);
      if ("runbook".equals(step.path("action").asText()) && child != null) {
        for (JsonNode other : runbook.path("incidents")) {
          if (child.equals(other.path("type").asText()) && other != incident) {
            incidents.add(other.deepCopy());
          }
        }
      }
    }
    return copy;
  }

  private static List<Path> jsonFiles(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isJson(String text) {
    try {
      return JSON.readTree(text) != null && !text.isBlank();
    } catch (IOException e) {
      return false;
    }
  }

  private static JsonNode tree(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "not JSON, although the compiler read it: " + e.getMessage(), e);
    }
  }

  private static String pretty(JsonNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path resource(String folder) {
    try {
      return Path.of(RunbookMutationFuzzTest.class.getResource("/" + folder).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
