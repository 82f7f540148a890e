package dev.durablerelease.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubmoduleUrlTest {
  @Test
  void relativeUrlsResolveAgainstTheSuperprojectAsGitDoes() {
    assertThat(GitCache.resolveUrl("/srv/git/hello", "../libgreet.git")).isEqualTo("/srv/git/libgreet.git");
    assertThat(GitCache.resolveUrl("https://git.example.org/org/hello.git/", "../../other/lib"))
        .isEqualTo("https://git.example.org/other/lib");
    assertThat(GitCache.resolveUrl("https://git.example.org/org/hello.git", "./vendor/lib"))
        .isEqualTo("https://git.example.org/org/hello.git/vendor/lib");
    assertThat(GitCache.resolveUrl("/srv/git/hello", "https://git.example.org/lib.git"))
        .isEqualTo("https://git.example.org/lib.git");
  }
}
