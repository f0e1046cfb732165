package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ServerIT {

  static S3Server s3;

  @BeforeAll
  static void start() {
    long started = System.nanoTime();
    s3 = S3Server.builder().freePort().build().start();
    System.out.printf("S3Server: answering in %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void createdBucketIsListedThroughTheS3Api() {
    s3.createBucket("warehouse");
    s3.createBucket("warehouse");

    HttpResponse<String> buckets = s3.request("GET", "/");

    assertThat(buckets.statusCode()).isEqualTo(200);
    assertThat(buckets.body()).contains("<Name>warehouse</Name>");
    assertThat(s3.bucketsDir().resolve("warehouse")).isDirectory();
  }

  @Test
  void requestWithAWrongSecretIsRefused() {
    HttpResponse<String> refused =
        s3.send(S3Request.signed("GET", s3.endpoint(), "/", s3.accessKey(), "not-the-secret"));

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("SignatureDoesNotMatch");
  }

  @Test
  void requestWithAnUnknownAccessKeyIsRefused() {
    HttpResponse<String> refused =
        s3.send(S3Request.signed("GET", s3.endpoint(), "/", "intruder", s3.secretKey()));

    assertThat(refused.statusCode()).isEqualTo(403);
  }

  @Test
  void aServerWithoutAConfiguredSecretGeneratesOneOfItsOwn() {
    S3Server other = S3Server.builder().freePort().build();

    assertThat(s3.accessKey()).isEqualTo(StackConfig.load().s3AccessKey());
    assertThat(s3.secretKey()).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(other.secretKey());
  }

  @Test
  void itsSecretAndItsBucketsAreTheOwnersOnly(@TempDir Path dir) throws Exception {
    // As ./flowders up lays them out: .flowders/s3 and warehouse/, which git checks out 0755.
    Path warehouse = Files.createDirectories(dir.resolve("warehouse"));
    Files.setPosixFilePermissions(warehouse, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path s3Dir = dir.resolve("state").resolve("s3");

    try (S3Server other =
        S3Server.builder().freePort().dataDir(s3Dir).bucketsDir(warehouse).build().start()) {
      other.createBucket("warehouse");

      Path properties = s3Dir.resolve("s3proxy.properties");
      assertThat(Files.readString(properties)).contains("s3proxy.credential=" + other.secretKey());
      assertThat(permissions(properties)).isEqualTo("rw-------");
      assertThat(permissions(s3Dir)).isEqualTo("rwx------");
      assertThat(permissions(warehouse)).isEqualTo("rwx------");
    }
  }

  @Test
  void closeLeavesNoProcess() {
    S3Server other = S3Server.builder().freePort().build().start();
    long pid = other.pid();

    other.close();

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(Ports.isFree(other.port())).isTrue();
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
