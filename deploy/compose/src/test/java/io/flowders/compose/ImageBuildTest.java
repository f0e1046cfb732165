package io.flowders.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.compose.Repo.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The two images compose builds with Maven (the Spark image's job stage, the producer): what their
 * Dockerfiles copy and in which order decides what a change rebuilds, and what .dockerignore sends
 * decides what the builder sees at all.
 */
class ImageBuildTest {

  private static final List<String> MAVEN_DOCKERFILES =
      List.of(Repo.SPARK_DOCKERFILE, Repo.PRODUCER_DOCKERFILE);
  private static final Pattern MAVEN_BUILD = Pattern.compile("mvn [^&;]*?-pl (\\S+) -am [^&;]*");
  private static final Pattern MAVEN_CACHE =
      Pattern.compile("--mount=(type=cache,\\S*target=/root/\\.m2\\S*)");
  private static final Pattern COPY_FROM_CONTEXT =
      Pattern.compile("COPY (?:--chmod=\\S+ )?(\\S+) \\S+");

  private final DockerIgnore dockerIgnore = DockerIgnore.read();

  /**
   * Both images' Maven builds use one cache mount (its id is its target); Maven's local repository
   * is not safe for two writers, and compose builds the images in parallel.
   */
  @Test
  void mavenBuildsTakeTheSharedRepositoryCacheInTurn() {
    for (String dockerfile : MAVEN_DOCKERFILES) {
      Matcher cache = MAVEN_CACHE.matcher(Repo.read(dockerfile));
      int mounts = 0;
      while (cache.find()) {
        mounts++;
        assertThat(cache.group(1).split(",")).as(dockerfile).contains("sharing=locked");
      }
      assertThat(mounts).as(dockerfile + " caches the Maven repository").isPositive();
    }
  }

  /**
   * The poms first, with the same build on them alone (plugins and dependencies, reused until a pom
   * changes), then the main sources of exactly the modules the build makes: a change to the README,
   * a test or the other image's module rebuilds nothing.
   */
  @Test
  void mavenStagesCopyThePomsFirstThenOnlyTheSourcesTheirBuildNeeds() {
    List<Module> modules = Repo.modules();
    Set<String> poms = new LinkedHashSet<>(List.of("pom.xml", ".mvn"));
    modules.forEach(module -> poms.add(module.dir() + "/pom.xml"));

    for (String dockerfile : MAVEN_DOCKERFILES) {
      List<String> stage = mavenStage(dockerfile);
      List<Integer> builds = new ArrayList<>();
      for (int i = 0; i < stage.size(); i++) {
        if (stage.get(i).startsWith("RUN ") && MAVEN_BUILD.matcher(stage.get(i)).find()) {
          builds.add(i);
        }
      }
      assertThat(builds).as(dockerfile + ": a build on the poms, then the real one").hasSize(2);
      assertThat(mavenBuild(stage.get(builds.get(0))))
          .as(dockerfile)
          .isEqualTo(mavenBuild(stage.get(builds.get(1))));

      assertThat(copies(stage.subList(0, builds.get(0))))
          .as(dockerfile + " before the first build")
          .containsExactlyInAnyOrderElementsOf(poms);
      Matcher build = MAVEN_BUILD.matcher(stage.get(builds.get(1)));
      assertThat(build.find()).isTrue();
      assertThat(copies(stage.subList(builds.get(0), builds.get(1))))
          .as(dockerfile + " between the builds")
          .containsExactlyInAnyOrderElementsOf(
              alsoMake(modules, build.group(1)).stream().map(dir -> dir + "/src/main").toList());
      assertThat(copies(stage)).as(dockerfile).doesNotContain(".", "./");
    }
  }

  @Test
  void buildContextHoldsWhatTheImagesCopyAndNoMore() {
    for (String dockerfile : MAVEN_DOCKERFILES) {
      for (String source : copies(instructions(dockerfile))) {
        try (Stream<Path> files = Files.walk(Repo.path(source))) {
          List<String> sent =
              files
                  .filter(Files::isRegularFile)
                  .map(file -> Repo.root().relativize(file).toString())
                  .toList();
          assertThat(sent).as(dockerfile + ": COPY " + source).isNotEmpty();
          assertThat(sent).as(dockerfile + ": COPY " + source).allMatch(dockerIgnore::sends);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    assertThat(
            List.of(
                "README.md",
                "streaming-job/README.md",
                Repo.COMPOSE_ENV_FILE,
                Repo.COMPOSE_FILE,
                ".git/HEAD",
                "warehouse/minio/flowders",
                ".flowders/credentials",
                "streaming-job/target/classes/Some.class",
                "deploy/stack/src/main/target/x.jar",
                "streaming-job/src/test/java/io/flowders/job/OrdersJobTest.java",
                "bench/results/run.json",
                "deploy/e2e/src/test/java/E2eIT.java"))
        .noneMatch(dockerIgnore::sends);
  }

  /** The stage that runs Maven, one instruction per entry, continuation lines joined. */
  private static List<String> mavenStage(String dockerfile) {
    List<List<String>> stages = new ArrayList<>();
    for (String instruction : instructions(dockerfile)) {
      if (instruction.startsWith("FROM ")) {
        stages.add(new ArrayList<>());
      } else if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).add(instruction);
      }
    }
    List<List<String>> maven =
        stages.stream()
            .filter(stage -> stage.stream().anyMatch(i -> MAVEN_BUILD.matcher(i).find()))
            .toList();
    assertThat(maven).as(dockerfile + ": one Maven stage").hasSize(1);
    return maven.get(0);
  }

  private static List<String> instructions(String dockerfile) {
    return Stream.of(Repo.read(dockerfile).replace("\\\n", " ").split("\n"))
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  /** The sources of the COPY instructions that read the build context. */
  private static List<String> copies(List<String> instructions) {
    List<String> sources = new ArrayList<>();
    for (String instruction : instructions) {
      Matcher copy = COPY_FROM_CONTEXT.matcher(instruction);
      if (copy.matches()) {
        sources.add(copy.group(1));
      }
    }
    return sources;
  }

  private static String mavenBuild(String run) {
    Matcher build = MAVEN_BUILD.matcher(run);
    assertThat(build.find()).as(run).isTrue();
    return build.group().strip();
  }

  /** The folders of {@code -pl dir -am}: the module and every module of ours it depends on. */
  private static Set<String> alsoMake(List<Module> modules, String dir) {
    Map<String, Module> byArtifactId =
        modules.stream().collect(Collectors.toMap(Module::artifactId, Function.identity()));
    Module selected =
        modules.stream().filter(module -> module.dir().equals(dir)).findFirst().orElseThrow();
    Set<String> dirs = new LinkedHashSet<>();
    List<Module> pending = new ArrayList<>(List.of(selected));
    while (!pending.isEmpty()) {
      Module module = pending.remove(pending.size() - 1);
      if (dirs.add(module.dir())) {
        module.flowdersDependencies().stream().map(byArtifactId::get).forEach(pending::add);
      }
    }
    return dirs;
  }
}
