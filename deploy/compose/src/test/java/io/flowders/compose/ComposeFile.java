package io.flowders.compose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as compose itself sees it before interpolation: anchors and merge keys
 * resolved, short and long syntaxes read the same way, so the checks ask questions, not parse.
 */
final class ComposeFile {

  private final Map<String, Object> root;

  private ComposeFile(Map<String, Object> root) {
    this.root = root;
  }

  static ComposeFile parse(String yaml) {
    return new ComposeFile(new Yaml().load(yaml));
  }

  static ComposeFile read() {
    return parse(Repo.read(Repo.COMPOSE_FILE));
  }

  Set<String> serviceNames() {
    return map(root.get("services")).keySet();
  }

  Service service(String name) {
    Object spec = map(root.get("services")).get(name);
    if (spec == null) {
      throw new IllegalArgumentException("no service " + name + " in " + Repo.COMPOSE_FILE);
    }
    return new Service(name, map(spec));
  }

  List<Service> services() {
    return serviceNames().stream().map(this::service).toList();
  }

  Set<String> namedVolumes() {
    Object volumes = root.get("volumes");
    return volumes == null ? Set.of() : map(volumes).keySet();
  }

  /** One published port: {@code published} on the host, {@code target} in the container. */
  record Port(int published, int target) {}

  /** One {@code volumes:} entry in the short syntax, {@code SOURCE:TARGET[:OPTIONS]}. */
  record Mount(String source, String target, List<String> options) {

    static Mount parse(String entry) {
      String[] parts = entry.split(":", 3);
      return new Mount(
          parts[0], parts[1], parts.length == 3 ? List.of(parts[2].split(",")) : List.of());
    }

    /** A host path, as compose tells it from a volume's name. */
    boolean isBind() {
      return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
    }
  }

  record Service(String name, Map<String, Object> spec) {

    String image() {
      return (String) spec.get("image");
    }

    /** {@code pull_policy:}, null when compose's default applies. */
    String pullPolicy() {
      return (String) spec.get("pull_policy");
    }

    String hostname() {
      return (String) spec.get("hostname");
    }

    String restart() {
      return (String) spec.get("restart");
    }

    boolean hasHealthcheck() {
      return spec.get("healthcheck") instanceof Map<?, ?>;
    }

    List<String> healthcheckTest() {
      return hasHealthcheck() ? strings(map(spec.get("healthcheck")).get("test")) : List.of();
    }

    List<String> envFiles() {
      Object envFile = spec.get("env_file");
      if (envFile == null) {
        return List.of();
      }
      List<String> paths = new ArrayList<>();
      for (Object entry : envFile instanceof List<?> list ? list : List.of(envFile)) {
        paths.add(entry instanceof Map<?, ?> m ? (String) m.get("path") : (String) entry);
      }
      return paths;
    }

    /** {@code environment:} as written (values not interpolated), from either syntax. */
    Map<String, String> environment() {
      Map<String, String> values = new LinkedHashMap<>();
      Object environment = spec.get("environment");
      if (environment instanceof Map<?, ?> m) {
        m.forEach(
            (key, value) -> values.put((String) key, value == null ? null : String.valueOf(value)));
      } else if (environment instanceof List<?> list) {
        for (Object entry : list) {
          String[] kv = ((String) entry).split("=", 2);
          values.put(kv[0], kv.length == 2 ? kv[1] : null);
        }
      }
      return values;
    }

    List<Port> ports() {
      List<Port> ports = new ArrayList<>();
      for (Object entry : spec.get("ports") instanceof List<?> list ? list : List.of()) {
        if (entry instanceof Map<?, ?> m) {
          ports.add(
              new Port(
                  Integer.parseInt(String.valueOf(m.get("published"))),
                  Integer.parseInt(String.valueOf(m.get("target")))));
        } else {
          String[] parts = String.valueOf(entry).split("/")[0].split(":");
          int target = Integer.parseInt(parts[parts.length - 1]);
          ports.add(
              new Port(
                  parts.length > 1 ? Integer.parseInt(parts[parts.length - 2]) : target, target));
        }
      }
      return ports;
    }

    /** The host address of each published port, "" where none is given (every interface). */
    List<String> portHostIps() {
      List<String> hostIps = new ArrayList<>();
      for (Object entry : spec.get("ports") instanceof List<?> list ? list : List.of()) {
        if (entry instanceof Map<?, ?> m) {
          hostIps.add(m.get("host_ip") == null ? "" : String.valueOf(m.get("host_ip")));
        } else {
          String[] parts = String.valueOf(entry).split("/")[0].split(":");
          hostIps.add(parts.length == 3 ? parts[0] : "");
        }
      }
      return hostIps;
    }

    List<String> command() {
      return strings(spec.get("command"));
    }

    List<String> entrypoint() {
      return strings(spec.get("entrypoint"));
    }

    List<String> volumes() {
      return strings(spec.get("volumes"));
    }

    List<Mount> mounts() {
      return volumes().stream().map(Mount::parse).toList();
    }

    /** Service name to condition; the short list syntax means {@code service_started}. */
    Map<String, String> dependsOn() {
      Map<String, String> conditions = new LinkedHashMap<>();
      Object dependsOn = spec.get("depends_on");
      if (dependsOn instanceof List<?> list) {
        list.forEach(name -> conditions.put((String) name, "service_started"));
      } else if (dependsOn instanceof Map<?, ?> m) {
        m.forEach(
            (name, options) ->
                conditions.put((String) name, (String) map(options).get("condition")));
      }
      return conditions;
    }

    Map<String, Object> build() {
      Object build = spec.get("build");
      return build == null
          ? null
          : build instanceof String context ? Map.of("context", context) : map(build);
    }

    Map<String, String> buildArgs() {
      Map<String, String> args = new LinkedHashMap<>();
      Object raw = build() == null ? null : build().get("args");
      if (raw instanceof Map<?, ?> m) {
        m.forEach((key, value) -> args.put((String) key, String.valueOf(value)));
      }
      return args;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node) {
    return node == null ? Map.of() : (Map<String, Object>) node;
  }

  private static List<String> strings(Object node) {
    if (node == null) {
      return List.of();
    }
    if (node instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(node));
  }
}
