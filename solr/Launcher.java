// Development / test launcher for Apache Solr 9: runs real Solr (SolrDispatchFilter in Jetty,
// through solr-test-framework's JettySolrRunner) on 127.0.0.1 from the jars that pom.xml fetches.
// Production uses a standard Solr 9 server with the same conf/ (see README).
//
//   java -cp 'lib/*:classes' Launcher <solr_home> <port>
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public class Launcher {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: Launcher <solr_home> <port>");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    if (!Files.exists(home.resolve("solr.xml"))) {
      System.err.println("solr: no solr.xml in " + home + " (run scripts/services.sh start)");
      System.exit(2);
    }
    System.setProperty("solr.solr.home", home.toString());
    System.setProperty("jetty.host", "127.0.0.1");
    System.setProperty("host", "127.0.0.1");
    JettyConfig config = JettyConfig.builder()
        .setPort(port)
        .setContext("/solr")
        .stopAtShutdown(true)
        .waitForLoadingCoresToFinish(60000L)
        .build();
    JettySolrRunner solr = new JettySolrRunner(home.toString(), new Properties(), config);
    try {
      solr.start();
    } catch (Exception e) {
      System.err.println("solr: could not start on 127.0.0.1:" + port + ": " + e);
      System.exit(1);
    }
    var failures = solr.getCoreContainer().getCoreInitFailures();
    if (!failures.isEmpty()) {
      failures.forEach((core, f) ->
          System.err.println("solr: core '" + core + "' failed to load: " + f.exception));
      solr.stop();
      System.exit(3);
    }
    System.out.println("solr: ready at " + solr.getBaseUrl() + " cores "
        + solr.getCoreContainer().getAllCoreNames());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try { solr.stop(); } catch (Exception ignored) { }
    }));
    Thread.currentThread().join();
  }
}
