package io.flowders.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The S3-compatible object store of the local stack: s3proxy over a folder, where each bucket is a
 * directory and each object a file (MinIO, which compose uses, has no jar on Maven Central). It
 * checks AWS V2/V4 signatures against the stack's access and secret key, as MinIO would.
 */
public final class S3Server extends JvmComponent<S3Server> {

  public static final String MAIN = "org.gaul.s3proxy.Main";
  private static final String PROCESS = "s3proxy";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final SharedInstance<S3Server> SHARED =
      new SharedInstance<>(
          "S3 server",
          () -> builder().freePort().build(),
          server -> server.start().createBucket(StackConfig.load().s3Bucket()));

  private final int port;
  private final Path bucketsDir;
  private final String accessKey;
  private final String secretKey;
  private final String heap;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private S3Server(Builder builder) {
    super(builder, "flowders-s3");
    this.port = builder.port;
    this.bucketsDir =
        builder.bucketsDir != null
            ? builder.bucketsDir.toAbsolutePath()
            : dataDir().resolve("buckets");
    this.accessKey = builder.accessKey;
    this.secretKey = builder.secretKey;
    this.heap = builder.heap;
  }

  public static Builder builder() {
    return builder(StackConfig.load());
  }

  /** A server with {@code config}'s port and keys (a new secret when it has none). */
  public static Builder builder(StackConfig config) {
    return new Builder(config);
  }

  /**
   * The server of this JVM, on a free port, with the stack's bucket: started on first use, stopped
   * at exit.
   */
  public static S3Server shared() {
    return SHARED.get();
  }

  @Override
  protected String description() {
    return "S3 server on " + endpoint();
  }

  /** Starts s3proxy and returns once it answers HTTP. */
  @Override
  protected void launch() {
    Path buckets = Folders.createPrivate(bucketsDir());
    Path properties =
        Folders.write(
            dataDir().resolve("s3proxy.properties"),
            String.join(
                "\n",
                "s3proxy.endpoint=" + endpoint(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + buckets,
                ""));
    startProcess(
            JvmProcess.builder(MAIN)
                .name(PROCESS)
                .classpath(Runtimes.classpath(Runtimes.S3))
                .heap(heap)
                .jvmArgs("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                .args("--properties", properties.toString())
                .logFile(dataDir().resolve("s3proxy.log")))
        .awaitReady("answering HTTP on " + endpoint(), START_TIMEOUT, this::answersHttp);
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
    return workDir();
  }

  /** The folder holding one directory per bucket. */
  public Path bucketsDir() {
    return bucketsDir;
  }

  public long pid() {
    return process(PROCESS)
        .orElseThrow(() -> new IllegalStateException(description() + " is not running"))
        .pid();
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

  public static final class Builder extends JvmComponent.Builder<Builder> {

    private int port;
    private Path bucketsDir;
    private String accessKey;
    private String secretKey;

    private Builder(StackConfig config) {
      super("256m");
      this.port = config.s3Port();
      this.accessKey = config.s3AccessKey();
      // A server of its own (a test's) gets a secret of its own; the stack passes its generated
      // one.
      this.secretKey =
          config.s3SecretKey().isBlank() ? Credentials.generate() : config.s3SecretKey();
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
      return folder(dataDir);
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

    public S3Server build() {
      return new S3Server(this);
    }
  }
}
