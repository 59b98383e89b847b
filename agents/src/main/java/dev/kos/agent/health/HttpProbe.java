package dev.kos.agent.health;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/** Healthy on a 2xx or 3xx answer to GET; redirects are not followed, a 3xx already says "alive". */
public record HttpProbe(String host, int port, String path) implements HealthProbe {
  @Override
  public ProbeResult probe(Duration timeout) {
    String url = "http://" + host + ":" + port + (path.startsWith("/") ? path : "/" + path);
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      connection.setInstanceFollowRedirects(false);
      connection.setConnectTimeout((int) timeout.toMillis());
      connection.setReadTimeout((int) timeout.toMillis());
      int status = connection.getResponseCode();
      String detail = "GET " + url + " answered " + status;
      return status >= 200 && status < 400 ? ProbeResult.healthy(detail) : ProbeResult.unhealthy(detail);
    } catch (IOException e) {
      return ProbeResult.unhealthy("GET " + url + " failed: " + e.getMessage());
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }
}
