package appealhub.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Non-Java department clients: Python scripts on Debian's python3 with Qpid Proton
 * (python3-qpid-proton, which .ci/run installs), run as processes of their own.
 */
public final class Python {
    /** The contract's example department (AMQP 1.0). */
    public static final Path DEPARTMENT = Path.of("docs/queue-contract/examples/department.py");
    /** One AMQP message as some user, with any properties (the tests' forger). */
    public static final Path SEND = Path.of("src/test/resources/amqp/send.py");

    public record Run(int exit, String output) {}

    private Python() {}

    /** Debian's python3 (where python3-qpid-proton installs), else the first on the PATH. */
    public static String executable() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** Fails, saying what to install, when Qpid Proton cannot be imported. */
    public static void requireProton() throws IOException, InterruptedException {
        Process check = new ProcessBuilder(executable(), "-c", "import proton").redirectErrorStream(true).start();
        if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
            throw new AssertionError(executable() + " cannot import proton: apt-get install -y python3-qpid-proton");
        }
    }

    /** Runs a script with extra environment (e.g. BROKER_PASSWORD) and waits at most 60 s; its exit and output. */
    public static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException ended) {
                // the process is gone
            }
        });
        reader.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within 60 s");
        }
        reader.join(5000);
        String output = out.toString(StandardCharsets.UTF_8);
        System.out.println("python " + args[0] + ": exit " + p.exitValue() + "\n" + output);
        return new Run(p.exitValue(), output);
    }
}
