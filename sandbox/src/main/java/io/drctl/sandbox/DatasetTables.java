package io.drctl.sandbox;

import java.util.List;

/**
 * The dataset's tables: the seed's world (a tutoring platform's users, teaching materials,
 * assignments, chat and payments), in the order they are filled, parents first. Each is generated
 * server-side from one {@code INSERT ... SELECT FROM generate_series}, after {@code setseed}, so a
 * scale always gives the same rows.
 */
final class DatasetTables {
  /** Schema of the manifest. */
  static final String SCHEMA = "drctl_dataset";

  /**
   * One table.
   *
   * @param name table name in schema public
   * @param rowsPerScale rows at scale 1
   * @param create its CREATE TABLE, without foreign keys (added after the load, which is faster)
   * @param foreignKeys ALTER TABLE statements that add them
   * @param insert the INSERT ... SELECT, with {@code :rows} and the row counts {@code :users},
   *     {@code :materials}, {@code :assignments} of the same scale
   * @param seed the {@code setseed} value before the insert
   */
  record Table(
      String name,
      long rowsPerScale,
      String create,
      List<String> foreignKeys,
      String insert,
      double seed) {}

  private static final List<String> VOCABULARY =
      List.of(
          "the",
          "student",
          "teacher",
          "tutor",
          "parent",
          "lesson",
          "homework",
          "assignment",
          "deadline",
          "grade",
          "math",
          "algebra",
          "geometry",
          "physics",
          "chemistry",
          "biology",
          "history",
          "literature",
          "english",
          "essay",
          "exam",
          "quiz",
          "practice",
          "review",
          "chapter",
          "exercise",
          "solution",
          "question",
          "answer",
          "problem",
          "please",
          "thanks",
          "tomorrow",
          "today",
          "yesterday",
          "schedule",
          "meeting",
          "online",
          "video",
          "call",
          "upload",
          "download",
          "file",
          "photo",
          "link",
          "check",
          "submit",
          "late",
          "early",
          "ready",
          "I",
          "you",
          "we",
          "they",
          "can",
          "will",
          "should",
          "need",
          "have",
          "did",
          "not",
          "and",
          "or",
          "but",
          "with",
          "for",
          "about",
          "from",
          "this",
          "that",
          "next",
          "last",
          "week",
          "monday",
          "friday",
          "room",
          "group",
          "course",
          "payment",
          "invoice",
          "balance",
          "refund",
          "subscription",
          "tariff",
          "report",
          "progress",
          "score",
          "points",
          "урок",
          "домашнее",
          "задание",
          "ученик",
          "учитель",
          "родитель",
          "оценка",
          "проверить",
          "завтра",
          "сегодня",
          "спасибо",
          "пожалуйста",
          "вопрос",
          "ответ",
          "материал",
          "тема",
          "контрольная",
          "оплата",
          "чат",
          "расписание",
          "x^2",
          "2x+3=7",
          "42",
          "15:30",
          "№5",
          "стр.",
          "ok",
          "?",
          "!",
          "...");
  private static final String WORDS =
      "'{"
          + VOCABULARY.stream()
              .map(word -> "\"" + word + "\"")
              .collect(java.util.stream.Collectors.joining(","))
          + "}'::text[]";
  private static final int WORD_COUNT = VOCABULARY.size();

  private static final String START = "timestamptz '2024-09-01 00:00:00+00'";

  /**
   * Words picked at random, as many as {@code count}. The count must use the row's {@code g}: a
   * subquery that does not is planned once for all rows, and every row would get the same words.
   */
  static String words(String count) {
    if (!count.contains("g")) {
      throw new IllegalArgumentException("the word count must depend on the row (g): " + count);
    }
    return "(SELECT string_agg(("
        + WORDS
        + ")[1 + floor(random() * "
        + WORD_COUNT
        + ")::int], ' ')"
        + " FROM generate_series(1, "
        + count
        + "))";
  }

  private static String moment(int days) {
    return "date_trunc('second', " + START + " + random() * interval '" + days + " days')";
  }

  private static String pick(String... values) {
    return "(ARRAY['"
        + String.join("','", values)
        + "'])[1 + floor(random() * "
        + values.length
        + ")::int]";
  }

  private static String token() {
    return "md5(random()::text)";
  }

  static final List<Table> ALL =
      List.of(
          new Table(
              "users",
              1_000,
              """
          CREATE TABLE users (
            id bigint PRIMARY KEY,
            username text NOT NULL,
            email text NOT NULL,
            role text NOT NULL,
            full_name text NOT NULL,
            password_hash text NOT NULL,
            phone text,
            is_active boolean NOT NULL,
            created_at timestamptz NOT NULL,
            last_login_at timestamptz)""",
              List.of(),
              "INSERT INTO users SELECT g, 'user' || g || '_' || substr("
                  + token()
                  + ", 1, 6),"
                  + " 'user' || g || '@' || "
                  + pick("mail.ru", "yandex.ru", "gmail.com", "thebot.io", "inbox.ru")
                  + ","
                  + " "
                  + pick(
                      "student", "student", "student", "student", "teacher", "tutor", "parent",
                      "parent", "admin")
                  + ","
                  + " initcap("
                  + pick(
                      "anna", "ivan", "maria", "dmitry", "olga", "sergey", "elena", "alexey",
                      "natalia", "pavel", "irina", "mikhail")
                  + ") || ' ' || initcap("
                  + words("1 + g % 2")
                  + "),"
                  + " 'pbkdf2_sha256$600000$' || substr("
                  + token()
                  + ", 1, 22) || '$'"
                  + " || encode(sha256(random()::text::bytea), 'base64'),"
                  + " CASE WHEN random() < 0.8 THEN '+7' || (9000000000 + floor(random() * 999999999)::bigint) END,"
                  + " random() < 0.93, "
                  + moment(400)
                  + ","
                  + " CASE WHEN random() < 0.9 THEN "
                  + moment(450)
                  + " END"
                  + " FROM generate_series(1, :rows) g",
              0.11),
          new Table(
              "materials",
              400,
              """
          CREATE TABLE materials (
            id bigint PRIMARY KEY,
            author_id bigint NOT NULL,
            subject text NOT NULL,
            title text NOT NULL,
            body text NOT NULL,
            file_url text,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL)""",
              List.of("ALTER TABLE materials ADD FOREIGN KEY (author_id) REFERENCES users (id)"),
              "INSERT INTO materials SELECT g, 1 + floor(random() * :users)::bigint,"
                  + " "
                  + pick(
                      "math",
                      "physics",
                      "chemistry",
                      "english",
                      "russian",
                      "history",
                      "biology",
                      "informatics")
                  + ","
                  + " initcap("
                  + words("3 + g % 5")
                  + "),"
                  + " "
                  + words("60 + (g * 13) % 140")
                  + " || ' ' || "
                  + token()
                  + ","
                  + " CASE WHEN random() < 0.6 THEN 'https://cdn.thebot.io/materials/' || "
                  + token()
                  + " || '.pdf' END,"
                  + " "
                  + moment(300)
                  + ", "
                  + moment(450)
                  + " FROM generate_series(1, :rows) g",
              0.22),
          new Table(
              "assignments",
              4_000,
              """
          CREATE TABLE assignments (
            id bigint PRIMARY KEY,
            material_id bigint NOT NULL,
            teacher_id bigint NOT NULL,
            student_id bigint NOT NULL,
            title text NOT NULL,
            instructions text NOT NULL,
            status text NOT NULL,
            score numeric(5,2),
            due_at timestamptz NOT NULL,
            submitted_at timestamptz,
            created_at timestamptz NOT NULL)""",
              List.of(
                  "ALTER TABLE assignments ADD FOREIGN KEY (material_id) REFERENCES materials (id)",
                  "ALTER TABLE assignments ADD FOREIGN KEY (teacher_id) REFERENCES users (id)",
                  "ALTER TABLE assignments ADD FOREIGN KEY (student_id) REFERENCES users (id)"),
              "INSERT INTO assignments SELECT g, 1 + floor(random() * :materials)::bigint,"
                  + " 1 + floor(random() * :users)::bigint, 1 + floor(random() * :users)::bigint,"
                  + " initcap("
                  + words("2 + g % 6")
                  + "), "
                  + words("8 + (g * 7) % 30")
                  + ","
                  + " "
                  + pick("assigned", "submitted", "submitted", "graded", "graded", "graded", "late")
                  + ","
                  + " CASE WHEN random() < 0.7 THEN round((random() * 100)::numeric, 2) END,"
                  + " "
                  + moment(460)
                  + ", CASE WHEN random() < 0.75 THEN "
                  + moment(460)
                  + " END, "
                  + moment(450)
                  + " FROM generate_series(1, :rows) g",
              0.33),
          new Table(
              "chat_messages",
              32_000,
              """
          CREATE TABLE chat_messages (
            id bigint PRIMARY KEY,
            room_id bigint NOT NULL,
            sender_id bigint NOT NULL,
            body text NOT NULL,
            attachment_key text,
            is_read boolean NOT NULL,
            created_at timestamptz NOT NULL)""",
              List.of(
                  "ALTER TABLE chat_messages ADD FOREIGN KEY (sender_id) REFERENCES users (id)"),
              "INSERT INTO chat_messages SELECT g, 1 + floor(random() * (:users / 4 + 1))::bigint,"
                  + " 1 + floor(random() * :users)::bigint, "
                  + words("2 + (g * 11) % 27")
                  + ","
                  + " CASE WHEN random() < 0.15 THEN 'chat/' || "
                  + token()
                  + " || '/' || substr("
                  + token()
                  + ", 1, 10) END,"
                  + " random() < 0.85, "
                  + moment(460)
                  + " FROM generate_series(1, :rows) g",
              0.44),
          new Table(
              "payments",
              8_000,
              """
          CREATE TABLE payments (
            id bigint PRIMARY KEY,
            user_id bigint NOT NULL,
            assignment_id bigint,
            amount numeric(10,2) NOT NULL,
            currency text NOT NULL,
            status text NOT NULL,
            provider_ref text NOT NULL,
            description text NOT NULL,
            created_at timestamptz NOT NULL,
            paid_at timestamptz)""",
              List.of(
                  "ALTER TABLE payments ADD FOREIGN KEY (user_id) REFERENCES users (id)",
                  "ALTER TABLE payments ADD FOREIGN KEY (assignment_id) REFERENCES assignments (id)"),
              "INSERT INTO payments SELECT g, 1 + floor(random() * :users)::bigint,"
                  + " CASE WHEN random() < 0.5 THEN 1 + floor(random() * :assignments)::bigint END,"
                  + " round((500 + random() * 9500)::numeric, 2), "
                  + pick("RUB", "RUB", "RUB", "USD", "EUR")
                  + ","
                  + " "
                  + pick("succeeded", "succeeded", "succeeded", "pending", "failed", "refunded")
                  + ","
                  + " 'yk_' || "
                  + token()
                  + ", "
                  + words("3 + g % 9")
                  + ","
                  + " "
                  + moment(460)
                  + ", CASE WHEN random() < 0.8 THEN "
                  + moment(460)
                  + " END"
                  + " FROM generate_series(1, :rows) g",
              0.55));

  private DatasetTables() {}
}
