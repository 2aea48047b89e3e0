package io.drctl.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.drctl.activities.ActionFailures;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import org.junit.jupiter.api.Test;

class RequestUrlTest {

  private static String resolve(String base, String path) {
    return RequestUrl.resolve(URI.create(base), path).toString();
  }

  @Test
  void pathIsAppendedToTheBasePathWithOneSlash() {
    assertThat(resolve("http://h:8000", "/api/health/")).isEqualTo("http://h:8000/api/health/");
    assertThat(resolve("http://h:8000/", "/api/health/")).isEqualTo("http://h:8000/api/health/");
    assertThat(resolve("https://h/v2", "enqueue")).isEqualTo("https://h/v2/enqueue");
    assertThat(resolve("https://h/v2/", "/x")).isEqualTo("https://h/v2/x");
  }

  @Test
  void slashMeansTheBaseUrlItself() {
    assertThat(resolve("http://h:8000", "/")).isEqualTo("http://h:8000/");
    assertThat(resolve("http://h/v2/enqueue", "/")).isEqualTo("http://h/v2/enqueue");
  }

  @Test
  void queriesOfBaseAndPathAreBothKept() {
    assertThat(resolve("http://h/api?tenant=a", "/health?full=1"))
        .isEqualTo("http://h/api/health?tenant=a&full=1");
    assertThat(resolve("http://h/api?tenant=a", "/")).isEqualTo("http://h/api?tenant=a");
  }

  @Test
  void pathsThatCouldLeaveTheTargetAreInvalidInput() {
    for (String path :
        new String[] {
          "//other/x",
          "https://other/",
          "/a/../b",
          "/..",
          "/./a",
          "/a/%2E%2E/b",
          "/a b",
          "/a\\b",
          "/a#frag",
          "",
          "/a\nb",
          "/%zz"
        }) {
      ApplicationFailure failure =
          catchThrowableOfType(
              ApplicationFailure.class, () -> RequestUrl.resolve(URI.create("http://h/api"), path));

      assertThat(failure).as(path).isNotNull();
      assertThat(failure.getType()).isEqualTo(ActionFailures.INVALID_INPUT);
    }
  }

  @Test
  void descriptionLeavesTheQueryOut() {
    assertThat(RequestUrl.describe("GET", URI.create("http://h:1/a?token=x")))
        .isEqualTo("GET http://h:1/a");
  }
}
