import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The jsse probe's test and benchmark client, run by the JDK under test as a source file: per line
 * on stdin ("engine NAME" or "socket NAME") one HTTPS GET of /NAME to 127.0.0.1:PORT, through the
 * JDK's HttpClient (SSLEngine) or an HttpsURLConnection (SSLSocket); prints "ok NAME STATUS BODY" or
 * "error NAME EXCEPTION". "bench KIND N [PATH]" makes N such requests in a row (of /b0, /b1... or
 * of PATH each time) and prints "bench KIND N NANOS". The certificate is the test's own, self-signed: every certificate is trusted.
 */
public class JsseClient {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        TrustManager[] trustAll = {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String type) { }
            public void checkServerTrusted(X509Certificate[] chain, String type) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }};
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustAll, null);
        HttpsURLConnection.setDefaultSSLSocketFactory(context.getSocketFactory());
        HttpsURLConnection.setDefaultHostnameVerifier((host, session) -> true);
        HttpClient client = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build();
        System.out.println("ready " + ProcessHandle.current().pid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.split(" ");
            try {
                if (words[0].equals("bench")) {
                    int n = Integer.parseInt(words[2]);
                    long start = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        get(client, words[1], "https://127.0.0.1:" + port + "/" + (words.length > 3 ? words[3] : "b" + i));
                    }
                    System.out.println("bench " + words[1] + " " + n + " " + (System.nanoTime() - start));
                } else {
                    System.out.println("ok " + words[1] + " " + get(client, words[0], "https://127.0.0.1:" + port + "/" + words[1]));
                }
            } catch (Exception e) {
                System.out.println("error " + words[1] + " " + e);
            }
        }
    }

    /** One GET: "STATUS BODY". */
    static String get(HttpClient client, String kind, String url) throws Exception {
        if (kind.equals("engine")) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        }
        HttpsURLConnection connection = (HttpsURLConnection) new URL(url).openConnection();
        try (InputStream body = connection.getInputStream()) {
            return connection.getResponseCode() + " " + new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
