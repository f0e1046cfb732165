package io.flowders.stack;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An S3 request signed with AWS Signature V4, from the JDK alone: enough to create and list buckets
 * on the local S3 server without an AWS SDK on the caller's classpath. Paths are used as given
 * (path-style, no query string, no characters that need encoding).
 */
public final class S3Request {

  public static final String REGION = "us-east-1";
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final String SIGNED_HEADERS = "host;x-amz-content-sha256;x-amz-date";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private S3Request() {}

  /** A bodiless request (GET, PUT of a bucket, DELETE, HEAD) on {@code endpoint + path}. */
  public static HttpRequest signed(
      String method, String endpoint, String path, String accessKey, String secretKey) {
    URI uri = URI.create(endpoint + path);
    String amzDate = AMZ_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
    String date = amzDate.substring(0, 8);
    String payloadHash = hex(sha256(new byte[0]));
    String canonicalRequest =
        String.join(
            "\n",
            method,
            uri.getRawPath().isEmpty() ? "/" : uri.getRawPath(),
            "",
            "host:" + uri.getAuthority(),
            "x-amz-content-sha256:" + payloadHash,
            "x-amz-date:" + amzDate,
            "",
            SIGNED_HEADERS,
            payloadHash);
    String scope = date + "/" + REGION + "/s3/aws4_request";
    String stringToSign =
        String.join(
            "\n",
            ALGORITHM,
            amzDate,
            scope,
            hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
    for (String part : new String[] {REGION, "s3", "aws4_request"}) {
      key = hmac(key, part);
    }
    String signature = hex(hmac(key, stringToSign));
    return HttpRequest.newBuilder(uri)
        .method(method, HttpRequest.BodyPublishers.noBody())
        .header("x-amz-date", amzDate)
        .header("x-amz-content-sha256", payloadHash)
        .header(
            "Authorization",
            ALGORITHM
                + " Credential="
                + accessKey
                + "/"
                + scope
                + ", SignedHeaders="
                + SIGNED_HEADERS
                + ", Signature="
                + signature)
        .build();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
