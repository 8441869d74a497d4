// Thin wrapper around org.codelibs.opensearch.runner.OpenSearchRunner that adds a
// stdin control channel, so one node of a multi-node (single JVM) cluster can be
// stopped and started again from Python.  Compiled once by node.py (javac).
//
// Extra options (everything else is passed to OpenSearchRunner.build):
//   -exitOnStdinEof   close all nodes and delete -basePath when stdin reaches EOF
//                     (i.e. the Python parent died without calling stop()).
//   -maxHttpPort N    highest HTTP port the runner may probe (runner default 9299).
// Commands on stdin, one per line:  "<seq> stop <i>", "<seq> start <i>", "<seq> status".
// Each answer is one line on stdout: "CTL <seq> OK ..." or "CTL <seq> FAIL ...".
// After start-up it prints "NODE <i> HTTP <port>" per node and "RUNNER STARTED <n>".
//   -statusFile F     write those lines to F instead of stdout.  Needed with several
//                     nodes: OpenSearch routes System.out into log4j, and when log4j is
//                     reconfigured for the next node the console stream (fd 1) gets
//                     closed, so nothing written to stdout after node 2 arrives.
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.node.Node;

public class NodeControl {

    private static PrintStream OUT = System.out;

    public static void main(final String[] args) throws Exception {
        boolean exitOnEof = false;
        int maxHttpPort = 9299;
        final List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if ("-exitOnStdinEof".equals(args[i])) {
                exitOnEof = true;
            } else if ("-statusFile".equals(args[i]) && i + 1 < args.length) {
                OUT = new PrintStream(new FileOutputStream(args[++i], true), true,
                        StandardCharsets.UTF_8);
            } else if ("-maxHttpPort".equals(args[i]) && i + 1 < args.length) {
                maxHttpPort = Integer.parseInt(args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        final OpenSearchRunner runner = new OpenSearchRunner();
        runner.setMaxHttpPort(maxHttpPort);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final Exception e) {
                OUT.println("close failed: " + e);
            }
        }));
        try {
            runner.build(rest.toArray(new String[0]));
        } catch (final Throwable t) {
            OUT.println("RUNNER FAILED");
            t.printStackTrace(OUT);
            OUT.flush();
            Runtime.getRuntime().halt(1);
        }
        for (int i = 0; i < runner.getNodeSize(); i++) {
            OUT.println("NODE " + i + " HTTP " + runner.getNode(i).settings().get("http.port"));
        }
        OUT.println("RUNNER STARTED " + runner.getNodeSize());
        OUT.flush();

        final BufferedReader in = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            final String[] p = line.trim().split("\\s+");
            if (p.length < 2) {
                continue;
            }
            final String seq = p[0];
            try {
                switch (p[1]) {
                case "stop": {
                    final int idx = Integer.parseInt(p[2]);
                    final Node node = runner.getNode(idx);
                    if (node == null) {
                        reply(seq, "FAIL no node " + idx);
                    } else if (node.isClosed()) {
                        reply(seq, "OK already-closed " + idx);
                    } else {
                        node.close();
                        final boolean done = node.awaitClose(30, TimeUnit.SECONDS);
                        reply(seq, (done ? "OK stopped " : "FAIL timeout ") + idx);
                    }
                    break;
                }
                case "start": {
                    final int idx = Integer.parseInt(p[2]);
                    final Node node = runner.getNode(idx);
                    if (node == null) {
                        reply(seq, "FAIL no node " + idx);
                    } else if (!node.isClosed()) {
                        reply(seq, "OK already-running " + idx);
                    } else {
                        reply(seq, (runner.startNode(idx) ? "OK started " : "FAIL start ") + idx);
                    }
                    break;
                }
                case "status": {
                    final StringBuilder sb = new StringBuilder("OK");
                    for (int i = 0; i < runner.getNodeSize(); i++) {
                        sb.append(' ').append(runner.getNode(i).isClosed() ? "closed" : "running");
                    }
                    reply(seq, sb.toString());
                    break;
                }
                default:
                    reply(seq, "FAIL unknown command " + p[1]);
                }
            } catch (final Throwable t) {
                reply(seq, "FAIL " + t.toString().replace('\n', ' '));
            }
        }
        if (exitOnEof) {
            OUT.println("stdin closed: shutting down and deleting base path");
            OUT.flush();
            try {
                runner.close();
            } finally {
                try {
                    runner.clean();
                } finally {
                    Runtime.getRuntime().halt(0);
                }
            }
        }
        while (!runner.isClosed()) {
            Thread.sleep(5000);
        }
        System.exit(0);
    }

    private static void reply(final String seq, final String msg) {
        OUT.println("CTL " + seq + " " + msg);
        OUT.flush();
    }
}
