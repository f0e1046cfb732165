package io.flowders.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.compose.Commands.Result;
import io.flowders.compose.Stubs.Call;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose's minio-init step (deploy/s3/docker/minio-init.sh), run with a stand-in for mc that logs
 * its arguments, its alias variable and what it reads on stdin: the job gets a user of its own
 * whose policy names the bucket only, and no secret reaches a command line.
 */
class MinioInitScriptTest {

  private static final String ROOT_USER = "root-1a2b3c4d5e6f";
  private static final String ROOT_PASSWORD = "rootpw0f9e8d7c6b5a";
  private static final String JOB_USER = "flowders-job-77aa88bb99cc";
  private static final String JOB_SECRET = "jobsecret1234abcd";

  @TempDir Path tmp;
  private Path bin;
  private Path log;
  private Path stdin;
  private Path secrets;
  private final Map<String, String> settings = Repo.envFile(Repo.SETTINGS_FILE);

  @BeforeEach
  void stubMc() throws IOException {
    bin = tmp.resolve("bin");
    log = tmp.resolve("calls.log");
    stdin = tmp.resolve("stdin.log");
    secrets = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(secrets.resolve("root-user"), ROOT_USER);
    Files.writeString(secrets.resolve("root-password"), ROOT_PASSWORD);
    Files.writeString(secrets.resolve("job-access-key"), JOB_USER);
    Files.writeString(secrets.resolve("job-secret-key"), JOB_SECRET);
  }

  /**
   * mc: logs what it reads on stdin; `policy attach` exits with the given code, `user info` names
   * the policy.
   */
  private void writeMc(int attachExitCode) {
    Stubs.write(
        bin,
        "mc",
        log,
        List.of("MC_HOST_flowders"),
        """
        case "$*" in
          *"policy create"*|*"user add"*) { echo "-- stdin"; cat; echo; } >> '%s' ;;
          *"policy attach"*) exit %d ;;
          *"user info"*) echo "AccessKey: $4"; echo "PolicyName: flowders-job" ;;
        esac"""
            .formatted(stdin, attachExitCode));
  }

  @Test
  void createsTheBucketAndAJobUserWithABucketOnlyPolicy() throws IOException {
    writeMc(0);
    Result result = run();

    assertThat(result.exitCode()).as(result.output()).isZero();
    List<Call> calls = Stubs.calls(log, "mc");
    String bucket = settings.get("FLOWDERS_S3_BUCKET");
    assertThat(calls.get(0).args())
        .containsExactly("mb", "--ignore-existing", "flowders/" + bucket);
    assertThat(calls.get(1).args())
        .startsWith("admin", "policy", "create", "flowders", "flowders-job", "/dev/stdin");
    assertThat(calls.get(2).args()).startsWith("admin", "user", "add", "flowders", JOB_USER);
    assertThat(calls.get(3).args())
        .containsExactly(
            "admin", "policy", "attach", "flowders", "flowders-job", "--user", JOB_USER);
    assertThat(calls).hasSize(4);

    String logged = Files.readString(stdin);
    assertThat(logged)
        .as("the policy, on stdin")
        .contains("\"arn:aws:s3:::" + bucket + "\"", "\"arn:aws:s3:::" + bucket + "/*\"")
        .doesNotContain("arn:aws:s3:::*", "\"s3:*\"", "admin:");
    assertThat(logged).as("the job's secret key, on stdin").contains("-- stdin\n" + JOB_SECRET);
  }

  @Test
  void mcFindsTheRootUserInItsEnvironmentAndNoSecretIsAnArgument() {
    writeMc(0);
    assertThat(run().exitCode()).isZero();

    for (Call call : Stubs.calls(log, "mc")) {
      assertThat(call.env())
          .containsEntry(
              "MC_HOST_flowders", "http://" + ROOT_USER + ":" + ROOT_PASSWORD + "@minio:9000");
      assertThat(String.join(" ", call.args())).doesNotContain(ROOT_PASSWORD, JOB_SECRET);
    }
  }

  /** MinIO refuses to attach a policy the user already has: a re-run must still succeed. */
  @Test
  void aRerunWithThePolicyAlreadyAttachedSucceeds() {
    writeMc(1);
    Result result = run();

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(Stubs.calls(log, "mc").get(4).args())
        .containsExactly("admin", "user", "info", "flowders", JOB_USER);
  }

  private Result run() {
    Map<String, String> env = new HashMap<>(settings);
    env.put("FLOWDERS_S3_ENDPOINT", "http://minio:9000");
    env.put("FLOWDERS_SECRETS", secrets.toString());
    env.put("PATH", bin + ":" + System.getenv("PATH"));
    return Commands.run(
        tmp, env, Duration.ofSeconds(30), List.of("sh", Repo.path(Repo.MINIO_INIT).toString()));
  }
}
