package io.flowders.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The S3-compatible object store of the local stack: s3proxy over a folder, where each bucket is a
 * directory and each object a file (MinIO, which compose uses, has no jar on Maven Central). It
 * checks AWS V2/V4 signatures against the stack's access and secret key, as MinIO would.
 */
public final class S3Server implements AutoCloseable {

  public static final String MAIN = "org.gaul.s3proxy.Main";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static S3Server shared;
  private static RuntimeException sharedFailure;

  private final int port;
  private final Path dataDir;
  private final Path bucketsDir;
  private final boolean ownsDataDir;
  private final String accessKey;
  private final String secretKey;
  private final String heap;
  private final boolean boundToParent;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private JvmProcess process;

  private S3Server(Builder builder) {
    this.port = builder.port;
    this.ownsDataDir = builder.dataDir == null;
    this.dataDir = ownsDataDir ? tempDir() : builder.dataDir.toAbsolutePath();
    this.bucketsDir =
        builder.bucketsDir != null
            ? builder.bucketsDir.toAbsolutePath()
            : dataDir.resolve("buckets");
    this.accessKey = builder.accessKey;
    this.secretKey = builder.secretKey;
    this.heap = builder.heap;
    this.boundToParent = builder.boundToParent;
  }

  public static Builder builder() {
    return new Builder(StackConfig.load());
  }

  /**
   * The server of this JVM, on a free port, with the stack's bucket: started on first use, stopped
   * at exit.
   */
  public static synchronized S3Server shared() {
    if (sharedFailure != null) {
      throw new IllegalStateException(
          "The shared S3 server failed to start earlier in this JVM", sharedFailure);
    }
    if (shared == null) {
      S3Server server = builder().freePort().build();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "flowders-s3-shared"));
      try {
        server.start().createBucket(StackConfig.load().s3Bucket());
      } catch (RuntimeException e) {
        server.close();
        sharedFailure = e;
        throw e;
      }
      shared = server;
    }
    return shared;
  }

  /** Starts s3proxy and returns once it answers HTTP. */
  public S3Server start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("S3 server on " + endpoint() + " is already started");
    }
    try {
      Files.createDirectories(dataDir);
      Path buckets = Files.createDirectories(bucketsDir());
      Path properties = dataDir.resolve("s3proxy.properties");
      Files.writeString(
          properties,
          String.join(
              "\n",
              "s3proxy.endpoint=" + endpoint(),
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + accessKey,
              "s3proxy.credential=" + secretKey,
              "jclouds.provider=filesystem",
              "jclouds.filesystem.basedir=" + buckets,
              ""));
      process =
          JvmProcess.builder(MAIN)
              .name("s3proxy")
              .classpath(Runtimes.classpath(Runtimes.S3))
              .heap(heap)
              .jvmArgs("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
              .args("--properties", properties.toString())
              .logFile(dataDir.resolve("s3proxy.log"))
              .boundToParent(boundToParent)
              .start();
      process.awaitReady("answering HTTP on " + endpoint(), START_TIMEOUT, this::answersHttp);
      return this;
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The folder holding one directory per bucket. */
  public Path bucketsDir() {
    return bucketsDir;
  }

  public long pid() {
    return process.pid();
  }

  /** Creates the bucket through the S3 API unless this server already has it. */
  public void createBucket(String name) {
    HttpResponse<String> response = request("PUT", "/" + name);
    boolean ours =
        response.statusCode() == 409 && response.body().contains("BucketAlreadyOwnedByYou");
    if (response.statusCode() != 200 && !ours) {
      throw new IllegalStateException(
          "Creating bucket "
              + name
              + " failed: HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
  }

  /**
   * A request signed with this server's credentials, e.g. {@code request("GET", "/")} lists the
   * buckets.
   */
  public HttpResponse<String> request(String method, String path) {
    return send(S3Request.signed(method, endpoint(), path, accessKey, secretKey));
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
    if (ownsDataDir) {
      KafkaCluster.deleteRecursively(dataDir);
    }
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "S3 request " + request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  private boolean answersHttp() {
    try {
      http.send(
          HttpRequest.newBuilder(URI.create(endpoint() + "/"))
              .timeout(REQUEST_TIMEOUT)
              .GET()
              .build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("flowders-s3");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static final class Builder {

    private int port;
    private Path dataDir;
    private Path bucketsDir;
    private String accessKey;
    private String secretKey;
    private String heap = "256m";
    private boolean boundToParent = true;

    private Builder(StackConfig config) {
      this.port = config.s3Port();
      this.accessKey = config.s3AccessKey();
      this.secretKey = config.s3SecretKey();
    }

    /** A port nothing else uses, instead of the stack's 9000. */
    public Builder freePort() {
      return port(Ports.free());
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Holds the buckets, the config and the log; a temporary directory, deleted on close, by
     * default.
     */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /**
     * Where the buckets live, one folder each; {@code dataDir/buckets} by default (./flowders:
     * warehouse/).
     */
    public Builder bucketsDir(Path bucketsDir) {
      this.bucketsDir = bucketsDir;
      return this;
    }

    public Builder credentials(String accessKey, String secretKey) {
      this.accessKey = accessKey;
      this.secretKey = secretKey;
      return this;
    }

    public Builder heap(String heap) {
      this.heap = heap;
      return this;
    }

    /** The server keeps running after this JVM exits (./flowders up). */
    public Builder outliveParent() {
      this.boundToParent = false;
      return this;
    }

    public S3Server build() {
      return new S3Server(this);
    }
  }
}
