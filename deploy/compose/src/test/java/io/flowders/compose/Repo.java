package io.flowders.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The files the compose stack is made of, read from the working tree: the checks compare what the
 * repo says in several places, so they must read the repo itself, never a copy.
 */
final class Repo {

  static final String COMPOSE_FILE = "docker-compose.yml";
  static final String SETTINGS_FILE = "deploy/flowders.env";
  static final String COMPOSE_ENV_FILE = ".env";
  static final String SPARK_DOCKERFILE = "deploy/spark/Dockerfile";
  static final String PRODUCER_DOCKERFILE =
      "producer-quarkus/src/main/docker/Dockerfile.multistage";
  static final String DOCKER_IGNORE = ".dockerignore";
  static final String SPARK_ENTRYPOINT = "deploy/spark/docker/flowders-spark.sh";
  static final String KAFKA_INIT = "deploy/kafka/docker/kafka-init.sh";
  static final String KAFKA_UI_CONFIG = "deploy/kafka/docker/kafka-ui.yml";
  static final String MINIO_INIT = "deploy/s3/docker/minio-init.sh";
  static final String CREDENTIALS = "deploy/compose/docker/credentials.sh";

  /** The groupId of the reactor's modules. */
  private static final String GROUP_ID = "io.flowders";

  private Repo() {}

  /**
   * The repo root: {@code -Dflowders.home} when it holds the compose file, else the first parent
   * that does.
   */
  static Path root() {
    String home = System.getProperty("flowders.home");
    if (home != null && Files.isRegularFile(Path.of(home, COMPOSE_FILE))) {
      return Path.of(home).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(COMPOSE_FILE))
          && Files.isRegularFile(dir.resolve(SETTINGS_FILE))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no " + COMPOSE_FILE + " above " + Path.of("").toAbsolutePath());
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * KEY=VALUE lines, as compose's env_file and the stack read them; comments and blanks skipped.
   */
  static Map<String, String> envFile(String relative) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : read(relative).split("\n")) {
      String trimmed = line.strip();
      int eq = trimmed.indexOf('=');
      if (!trimmed.isEmpty() && !trimmed.startsWith("#") && eq > 0) {
        values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
      }
    }
    return values;
  }

  /** The parent pom's {@code <properties>}: where every version is pinned once. */
  static Map<String, String> pomProperties() {
    Element properties = (Element) pom("pom.xml").getElementsByTagName("properties").item(0);
    Map<String, String> values = new LinkedHashMap<>();
    NodeList children = properties.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      Node child = children.item(i);
      if (child.getNodeType() == Node.ELEMENT_NODE) {
        values.put(child.getNodeName(), child.getTextContent().strip());
      }
    }
    return values;
  }

  /** A module of the reactor: its folder, artifactId and the artifactIds of ours it depends on. */
  record Module(String dir, String artifactId, Set<String> flowdersDependencies) {}

  /** The parent pom's {@code <modules>}, in its order. */
  static List<Module> modules() {
    NodeList names = pom("pom.xml").getElementsByTagName("module");
    List<Module> modules = new ArrayList<>();
    for (int i = 0; i < names.getLength(); i++) {
      String dir = names.item(i).getTextContent().strip();
      Element project = pom(dir + "/pom.xml");
      Set<String> dependencies = new LinkedHashSet<>();
      NodeList declared = project.getElementsByTagName("dependency");
      for (int j = 0; j < declared.getLength(); j++) {
        Element dependency = (Element) declared.item(j);
        if (GROUP_ID.equals(childText(dependency, "groupId"))) {
          dependencies.add(childText(dependency, "artifactId"));
        }
      }
      modules.add(new Module(dir, childText(project, "artifactId"), dependencies));
    }
    return modules;
  }

  private static Element pom(String relative) {
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(path(relative).toFile()).getDocumentElement();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + relative, e);
    }
  }

  private static String childText(Element parent, String name) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element child && child.getTagName().equals(name)) {
        return child.getTextContent().strip();
      }
    }
    return null;
  }
}
