package dev.ldd.launcher.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ldd publish}: sends a test message through a running daemon's admin endpoint. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Publishes a message through a running daemon's admin endpoint (embedded source only).",
        "Without --file or --data the payload is empty."})
final class PublishCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--admin", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
      description = "the daemon's admin endpoint (default: ${DEFAULT-VALUE})")
  URI admin;

  @Option(names = {"-t", "--topic"}, required = true, paramLabel = "TOPIC", description = "the topic to publish to")
  String topic;

  @Option(names = {"-p", "--property"}, paramLabel = "NAME=VALUE", description = "a message property; repeatable")
  Map<String, String> properties = new LinkedHashMap<>();

  @ArgGroup(exclusive = true)
  Payload payload;

  static final class Payload {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "the payload, read from a file")
    Path file;

    @Option(names = {"-d", "--data"}, paramLabel = "STRING", description = "the payload, as UTF-8 text")
    String data;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    byte[] body = payload == null ? new byte[0]
        : payload.file != null ? Files.readAllBytes(payload.file) : payload.data.getBytes(StandardCharsets.UTF_8);
    StringBuilder query = new StringBuilder("topic=").append(encode(topic));
    // Properties go in the query, not in X-Ldd-Property-* headers, because HTTP does not keep the case
    // of header names and property names are case-sensitive.
    properties.forEach((k, v) -> query.append("&property=").append(encode(k + "=" + v)));
    URI uri = URI.create(admin.toString().replaceAll("/+$", "") + "/v1/publish?" + query);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      err.println("ldd publish: cannot reach the admin endpoint at " + admin + ": is the daemon running (ldd run)?");
      return Cli.FAILED;
    }
    if (response.statusCode() == 202) {
      out.println("published " + body.length + " bytes to " + topic);
      return Cli.OK;
    }
    err.println("ldd publish: " + response.statusCode() + " " + response.body().strip());
    return Cli.FAILED;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
